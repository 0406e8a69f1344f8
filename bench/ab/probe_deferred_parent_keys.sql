-- Variant for scripts/ab-workers.sh / scripts/ab-concurrent.sh, a measurement only: the foreign
-- keys whose checks lock the shared tenant and campaign rows FOR KEY SHARE (calls to tenants and
-- campaigns, lead_first_contacts to campaigns) checked at commit (DEFERRABLE INITIALLY
-- DEFERRED), so each lock is held for the commit only and fewer lockers overlap into a
-- multixact; compare with bench/ab/probe_restore.sql. docs/queue.md, Performance.
\ir probe_restore.sql
ALTER TABLE dialer.calls ALTER CONSTRAINT calls_tenant_id_fkey DEFERRABLE INITIALLY DEFERRED,
                         ALTER CONSTRAINT calls_tenant_id_campaign_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE dialer.lead_first_contacts
  ALTER CONSTRAINT lead_first_contacts_tenant_id_campaign_id_fkey DEFERRABLE INITIALLY DEFERRED;
