-- Campaign statistics over RPC, compatible with the original design's
--   supabase.rpc('get_campaign_stats', { campaign_id })
-- It returns the original keys (total_calls, completed_calls, failed_calls,
-- pending_calls, avg_duration) plus everything dialer.campaign_stats() reports, read
-- from counters kept by pg_dialer's triggers instead of counting every call row.
-- Only members of the campaign's tenant get the numbers; anyone else gets HTTP 404
-- (SQLSTATE PT404) whether or not the campaign exists. One transaction, no psql
-- meta-commands (Supabase CLI migration).

CREATE OR REPLACE FUNCTION public.get_campaign_stats(campaign_id uuid)
RETURNS jsonb
LANGUAGE sql STABLE
SET search_path = ''
AS $$
  SELECT jsonb_build_object(
           -- Attempt rows of the campaign (dialer.calls).
           'total_calls', s #> '{calls,total}',
           'completed_calls', s #> '{calls,by_status,completed}',
           'failed_calls', s #> '{calls,by_status,failed}',
           -- Calls still to be made: leads waiting for their first or next attempt.
           'pending_calls', s #> '{leads,waiting}',
           -- Mean duration in seconds of completed calls that have one.
           'avg_duration', s #> '{calls,avg_completed_duration}')
         || s
    FROM dialer.campaign_stats(get_campaign_stats.campaign_id) AS s
$$;
COMMENT ON FUNCTION public.get_campaign_stats(uuid) IS
  'Campaign statistics for the API: total_calls, completed_calls, failed_calls, pending_calls '
  '(leads waiting to be called), avg_duration (seconds, completed calls) and every figure of '
  'dialer.campaign_stats (rates, abandon rates, talk-time percentiles, cost, penetration, ...). '
  'Constant time. PT404 (HTTP 404) unless the caller is a member of the campaign''s tenant.';

REVOKE EXECUTE ON FUNCTION public.get_campaign_stats(uuid) FROM PUBLIC;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'anon') THEN
    REVOKE EXECUTE ON FUNCTION public.get_campaign_stats(uuid) FROM anon;
  END IF;
END
$$;
GRANT EXECUTE ON FUNCTION public.get_campaign_stats(uuid) TO authenticated, service_role;

NOTIFY pgrst, 'reload schema';
