-- Fixture of the scripted queue tests (test/scripts/queue_faults.sh,
-- queue_last_completions.sh): tenant T, running campaign c...c1 with two slots and no
-- AI voice, and two US leads, +1 212 555 0101 (priority 2) and 0102 (priority 1).
INSERT INTO dialer.tenants (id, name) VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'T');
INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1', 'two leads', 2, false);
INSERT INTO dialer.contacts (tenant_id, phone) VALUES
  ('aaaaaaaa-0000-0000-0000-0000000000a1', '+12125550101'), ('aaaaaaaa-0000-0000-0000-0000000000a1', '+12125550102');
INSERT INTO dialer.leads (tenant_id, campaign_id, phone, priority) VALUES
  ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1', '+12125550101', 2),
  ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1', '+12125550102', 1);
\ir contacts_midday.sql
SELECT dialer.start_campaign('cccccccc-0000-0000-0000-0000000000c1');
