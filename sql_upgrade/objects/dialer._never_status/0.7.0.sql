CREATE OR REPLACE FUNCTION dialer._never_status(p_reason text)
RETURNS dialer.lead_status
-- No SET clause, so the planner inlines it (a SET would re-plan it on every call). Why each
-- branch an enum constant: a text CASE cast to the enum calls enum_in, which is only STABLE,
-- and the planner does not inline an IMMUTABLE function whose body is less than immutable;
-- up to 0.6.0 it ran as a separate SQL function, its body parsed again in every statement
-- (52 us a call under four workers, pg_stat_user_functions).
LANGUAGE sql IMMUTABLE
AS $$
  SELECT CASE p_reason
           WHEN 'unknown_outcome' THEN 'held'::dialer.lead_status  -- a person decides (dialer.release_lead)
           WHEN 'suppressed' THEN 'do_not_call'::dialer.lead_status
           ELSE 'failed'::dialer.lead_status END                    -- attempts used up, no consent, no window...
$$;
COMMENT ON FUNCTION dialer._never_status(text) IS
  'Internal: the lead status for a scheduler "never": held after an unknown result, do_not_call when suppressed, else failed.';
