-- Variant for scripts/ab-workers.sh, a measurement only, never for a database in use: without
-- the foreign keys whose checks lock the shared tenant and campaign rows FOR KEY SHARE on every
-- call inserted (calls to tenants and campaigns, lead_first_contacts to campaigns), so no
-- multixacts; compare with bench/ab/probe_restore.sql. docs/queue.md, Performance.
\ir probe_restore.sql
ALTER TABLE dialer.calls DROP CONSTRAINT calls_tenant_id_fkey,
                         DROP CONSTRAINT calls_tenant_id_campaign_id_fkey;
ALTER TABLE dialer.lead_first_contacts DROP CONSTRAINT lead_first_contacts_tenant_id_campaign_id_fkey;
