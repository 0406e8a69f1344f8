-- Variant for scripts/ab-workers.sh / scripts/ab-concurrent.sh: the layout of 0.16.0, without leads_open_idx
-- (every lead that still needs work, one key per campaign, which a claim and a completion both
-- write), with an index of the leads in progress or held only, which a completion does not
-- write; the waiting leads are in leads_waiting_idx. Compare with bench/ab/open_index_released.sql.
\ir open_index_released.sql
DROP INDEX dialer.leads_open_idx;
CREATE INDEX leads_busy_idx ON dialer.leads (tenant_id, campaign_id) WHERE status IN ('in_progress', 'held');
