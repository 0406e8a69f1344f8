CREATE OR REPLACE FUNCTION dialer._never_status(p_reason text)
RETURNS dialer.lead_status
-- No SET clause, so the planner inlines it (a SET would re-plan it on every call).
LANGUAGE sql IMMUTABLE
AS $$
  SELECT (CASE p_reason
            WHEN 'unknown_outcome' THEN 'held'             -- a person decides (dialer.release_lead)
            WHEN 'suppressed' THEN 'do_not_call'
            ELSE 'failed' END)::dialer.lead_status          -- attempts used up, no consent, no window...
$$;
COMMENT ON FUNCTION dialer._never_status(text) IS
  'Internal: the lead status for a scheduler "never": held after an unknown result, do_not_call when suppressed, else failed.';
