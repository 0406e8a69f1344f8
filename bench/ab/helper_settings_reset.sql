-- Variant for scripts/ab-workers.sh: the eight internal PL/pgSQL helpers a cycle calls without
-- their SET clauses (search_path, plan_cache_mode, enable_seqscan, jit), which their callers
-- already set: what changing four settings per nested call costs. A measurement only (the
-- released helpers keep them). Control: helper_settings_kept.sql.
ALTER FUNCTION dialer._advance_lead(uuid,uuid,uuid,text,timestamptz) RESET ALL;
ALTER FUNCTION dialer._call_for_update(uuid) RESET ALL;
ALTER FUNCTION dialer._campaign_cancelled(uuid,uuid) RESET ALL;
ALTER FUNCTION dialer._campaign_claimable(dialer.campaigns,timestamptz) RESET ALL;
ALTER FUNCTION dialer._campaign_for(uuid,dialer.member_role) RESET ALL;
ALTER FUNCTION dialer._complete_campaign_if_done(uuid,uuid,timestamptz) RESET ALL;
ALTER FUNCTION dialer._replan_number(uuid,text,uuid,timestamptz) RESET ALL;
ALTER FUNCTION dialer._require_active_tenant(uuid,text) RESET ALL;
