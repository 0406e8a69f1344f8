-- Queue test fixture (inside the test's transaction): tenants A and B, members of A
-- with each role, a member of B, and campaign A1 (draft, 3 slots, no AI voice, New
-- York time, a retry policy) with five US leads. Fixed ids so tests can name them:
--   tenants  a...a1, b...b1      users  ...a0 (admin A), ...a9 (agent A), ...a5 (viewer A), ...b0 (admin B)
--   campaign c...c1              leads  phones +1 212 555 01 01 .. 05
\set QUIET on
INSERT INTO dialer.tenants (id, name, default_region) VALUES
  ('aaaaaaaa-0000-0000-0000-0000000000a1', 'Tenant A', 'US'),
  ('bbbbbbbb-0000-0000-0000-0000000000b1', 'Tenant B', 'GB');
INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES
  ('aaaaaaaa-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000a0', 'admin'),
  ('aaaaaaaa-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000a9', 'agent'),
  ('aaaaaaaa-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000a5', 'viewer'),
  ('bbbbbbbb-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000b0', 'admin');
INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice, time_zone, retry_policy)
VALUES ('aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1', 'A1', 3, false,
        'America/New_York',
        '{"max_attempts": 3, "classes": {"no_answer": {"delays": [3600]}, "busy": {"delays": [600]}, "voicemail": {"delays": [7200]}}}');
INSERT INTO dialer.contacts (tenant_id, phone, first_name)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', '+1212555010' || g, 'Lead ' || g FROM generate_series(1, 5) g;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone, priority)
SELECT 'aaaaaaaa-0000-0000-0000-0000000000a1', 'cccccccc-0000-0000-0000-0000000000c1', '+1212555010' || g, g
  FROM generate_series(1, 5) g;
\set QUIET off
