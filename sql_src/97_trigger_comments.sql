-- What every trigger on the extension's tables does, as COMMENT ON TRIGGER (\dS+ and
-- pg_description show it; sql/extension.sql expects none without one). Why one file after
-- every trigger exists: the 0.7.0 -> 0.8.0 upgrade runs the same statements from here
-- (sql_upgrade/, "-- @from"), so an installed and an upgraded database say the same. A new
-- trigger gets its comment here.

-- The updated_at triggers of the extension's tables: the sentence dialer.track_updated_at()
-- writes for column updated_at (it comments the ones it installs; this covers those installed
-- before 0.8.0; sql/updated_at.sql holds the two to the same text).
DO $$
DECLARE
  t regclass;
BEGIN
  FOR t IN SELECT tg.tgrelid::regclass FROM pg_catalog.pg_trigger tg
            JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
           WHERE c.relnamespace = 'dialer'::regnamespace AND tg.tgname = 'dialer_set_updated_at'
             AND tg.tgfoid = 'dialer.set_updated_at()'::regprocedure LOOP
    EXECUTE format('COMMENT ON TRIGGER dialer_set_updated_at ON %s IS %L', t,
                   'Stamps updated_at with the transaction start time on every UPDATE and on an INSERT '
                   'that leaves it NULL (dialer.set_updated_at, installed by dialer.track_updated_at).');
  END LOOP;
END
$$;

-- Tenancy and identity.
COMMENT ON TRIGGER dialer_guard_tenant_status ON dialer.tenants IS
  'Only a caller that bypasses RLS (service_role) changes a tenant''s status (42501).';
COMMENT ON TRIGGER dialer_normalize_identifier ON dialer.tenant_identifiers IS
  'Stores an identifier in its canonical form (E.164 phone, lower-case email, trimmed handle).';
COMMENT ON TRIGGER dialer_verification_guard ON dialer.tenant_identifiers IS
  'A member''s identifier stays unverified until a caller that bypasses RLS sets verified_at.';

-- Numbers: stored in E.164; a change re-plans the number's waiting leads.
COMMENT ON TRIGGER dialer_normalize_phone ON dialer.contacts IS
  'Stores the contact''s phone in E.164 (national numbers in the tenant''s default_region; 22023 if invalid).';
COMMENT ON TRIGGER dialer_normalize_phone ON dialer.suppressions IS
  'Stores the suppressed phone in E.164 (national numbers in the tenant''s default_region; 22023 if invalid).';
COMMENT ON TRIGGER dialer_normalize_phone ON dialer.global_suppressions IS
  'Stores the suppressed phone in E.164 (22023 if invalid).';
COMMENT ON TRIGGER dialer_replan_on_contact_change ON dialer.contacts IS
  'A contact''s time zone, calling windows or consent changed: the number''s waiting leads are planned again.';
COMMENT ON TRIGGER dialer_replan_on_suppression_change ON dialer.suppressions IS
  'A do-not-call entry was added, changed or removed: the number''s waiting leads are planned again.';

-- Campaigns.
COMMENT ON TRIGGER dialer_campaign_rule_packs ON dialer.campaigns IS
  'rule_packs names only packs of dialer.rule_packs (22023 otherwise).';
COMMENT ON TRIGGER dialer_replan_on_campaign_change ON dialer.campaigns IS
  'The campaign''s rules changed (policy, windows, packs, zones, schedule, AI voice): its waiting leads are planned again.';
COMMENT ON TRIGGER dialer_sync_campaign_slots ON dialer.campaigns IS
  'Keeps the campaign''s dialer.campaign_slots rows at max_concurrent_calls.';

-- Calls: concurrency slots, recipient zone, statistics.
COMMENT ON TRIGGER dialer_occupy_call_slot ON dialer.calls IS
  'A call inserted in flight with a slot occupies that slot (claims, and restored calls); 23505 when another call holds it.';
COMMENT ON TRIGGER dialer_call_leaves_flight ON dialer.calls IS
  'A call that leaves flight (completed, failed, cancelled, expired; by the queue or by hand) frees its slot.';
COMMENT ON TRIGGER dialer_free_deleted_call_slots ON dialer.calls IS
  'Deleted calls no longer occupy their campaign slots.';
COMMENT ON TRIGGER dialer_stats_fill_recipient_zone ON dialer.calls IS
  'Fills a missing recipient_time_zone from dialer.recipient_time_zone() (the statistics bucket by it).';
COMMENT ON TRIGGER dialer_stats_calls_inserted ON dialer.calls IS
  'Adds the inserted calls to their campaigns'' statistics counters (transition table new_calls).';
COMMENT ON TRIGGER dialer_stats_calls_updated ON dialer.calls IS
  'Moves the updated calls'' contribution in their campaigns'' statistics counters (old_calls, new_calls).';
COMMENT ON TRIGGER dialer_stats_calls_deleted ON dialer.calls IS
  'Takes the deleted calls out of their campaigns'' statistics counters (transition table old_calls).';
COMMENT ON TRIGGER dialer_stats_calls_truncated ON dialer.calls IS
  'TRUNCATE of calls zeroes the statistics counters derived from calls.';

-- Leads: statistics.
COMMENT ON TRIGGER dialer_stats_leads_inserted ON dialer.leads IS
  'Adds the inserted leads to their campaigns'' lead counters (transition table new_leads).';
COMMENT ON TRIGGER dialer_stats_leads_updated ON dialer.leads IS
  'Moves the updated leads between their campaigns'' lead counters (old_leads, new_leads).';
COMMENT ON TRIGGER dialer_stats_leads_deleted ON dialer.leads IS
  'Takes the deleted leads out of their campaigns'' lead counters (transition table old_leads).';
COMMENT ON TRIGGER dialer_stats_leads_truncated ON dialer.leads IS
  'TRUNCATE of leads zeroes the lead counters.';

-- Escalations.
COMMENT ON TRIGGER dialer_check_escalation_move ON dialer.escalations IS
  'Allows only the next step of pending -> notified -> in_progress -> resolved (else PT409) and stamps its time.';

-- Rule packs and outcome classes.
COMMENT ON TRIGGER dialer_rule_pack_in_use ON dialer.rule_packs IS
  'Refuses deleting or renaming a rule pack a campaign names (23503).';
COMMENT ON TRIGGER dialer_guard_builtin ON dialer.rule_packs IS
  'Refuses writing built-in rule packs outside the extension''s own scripts (42501).';
COMMENT ON TRIGGER dialer_guard_builtin ON dialer.rule_pack_rules IS
  'Refuses writing built-in rule pack rules outside the extension''s own scripts (42501).';
COMMENT ON TRIGGER dialer_guard_builtin ON dialer.rule_pack_area_codes IS
  'Refuses writing built-in area code rows outside the extension''s own scripts (42501).';
COMMENT ON TRIGGER dialer_rule_packs_changed ON dialer.rule_packs IS
  'Tells every backend to read the rule pack tables again.';
COMMENT ON TRIGGER dialer_rule_packs_changed ON dialer.rule_pack_rules IS
  'Tells every backend to read the rule pack tables again.';
COMMENT ON TRIGGER dialer_rule_packs_changed ON dialer.rule_pack_area_codes IS
  'Tells every backend to read the rule pack tables again.';
COMMENT ON TRIGGER dialer_stats_outcome_classes_changed ON dialer.outcome_classes IS
  'New outcome classes get a statistics slot; changed flags rebuild every campaign''s statistics.';
