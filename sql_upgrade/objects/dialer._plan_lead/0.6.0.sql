CREATE OR REPLACE FUNCTION dialer._plan_lead(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                  p_last_outcome text DEFAULT NULL)
RETURNS TABLE (next_attempt_at timestamptz, final_status dialer.lead_status, recipient_zone text,
               legal_until timestamptz)
LANGUAGE sql STABLE
AS $$
  -- recipient_zone: what dialer.recipient_time_zone() answers (the contact's zone, else
  -- the number's only candidate, else the campaign's or tenant's), from the same row.
  SELECT d.next_attempt_at,
         CASE WHEN d.next_attempt_at IS NULL THEN dialer._never_status(d.reason) END,
         CASE WHEN cardinality((i.inputs).zones) = 1 THEN (i.inputs).zones[1] ELSE i.fallback_zone END,
         d.legal_until
    FROM dialer._lead_schedule_inputs(p_tenant_id, p_lead_id, p_now, p_last_outcome) i,
         LATERAL dialer._decide(i.inputs, p_now) d
$$;
COMMENT ON FUNCTION dialer._plan_lead(uuid, uuid, timestamptz, text) IS
  'Internal: the scheduler''s next legal attempt for a lead (one row; NULL next_attempt_at: never, '
  'with the status to take; legal_until: when callable at p_now, until when its windows stay open).';
