CREATE OR REPLACE FUNCTION dialer._record_late_opt_out(p_call dialer.calls, p_outcome text, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  INSERT INTO dialer.suppressions (tenant_id, phone, reason, source)
  VALUES (p_call.tenant_id, p_call.phone, 'do_not_call', 'call:' || p_call.id)
  ON CONFLICT (tenant_id, phone) DO NOTHING;
  UPDATE dialer.calls k
     SET metadata = k.metadata || jsonb_build_object('late_report', jsonb_build_object(
           'outcome', p_outcome, 'outcome_class', 'do_not_call', 'reported_at', p_now,
           'call_status', p_call.status))
   WHERE k.tenant_id = p_call.tenant_id AND k.id = p_call.id;
  PERFORM dialer._replan_number(p_call.tenant_id, p_call.phone, NULL, p_now);
  RETURN jsonb_build_object('call_id', p_call.id, 'lead_id', p_call.lead_id, 'outcome_class', 'do_not_call',
                            'call_status', p_call.status, 'late', true, 'suppressed', true, 'replayed', false);
END
$$;
COMMENT ON FUNCTION dialer._record_late_opt_out(dialer.calls, text, timestamptz) IS
  'Internal: suppresses the number of a call no longer in flight that reported do_not_call, and records the report on the call.';
