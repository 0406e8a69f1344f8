-- Statistics test fixture (inside the test's transaction): tenant T with campaigns C1
-- (New York) and C2 (London) and tenant U; an admin member of each tenant; five
-- leads in C1 (+1 212 555 02 01 .. 05) and one in C2 (+44 20 7946 0006). Fixed ids:
--   tenants  dddddddd-...-d1 (T), eeeeeeee-...-e1 (U)   users ...d0 (admin T), ...e0 (admin U)
--   campaigns c1c1c1c1-...-c1 (C1), c2c2c2c2-...-c2 (C2)
\set QUIET on
INSERT INTO dialer.tenants (id, name, default_region, default_time_zone) VALUES
  ('dddddddd-0000-0000-0000-0000000000d1', 'Tenant T', 'US', 'UTC'),
  ('eeeeeeee-0000-0000-0000-0000000000e1', 'Tenant U', 'GB', 'UTC');
INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES
  ('dddddddd-0000-0000-0000-0000000000d1', '00000000-0000-0000-0000-0000000000d0', 'admin'),
  ('eeeeeeee-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000e0', 'admin');
INSERT INTO dialer.campaigns (tenant_id, id, name, time_zone, uses_ai_voice) VALUES
  ('dddddddd-0000-0000-0000-0000000000d1', 'c1c1c1c1-0000-0000-0000-0000000000c1', 'C1', 'America/New_York', false),
  ('dddddddd-0000-0000-0000-0000000000d1', 'c2c2c2c2-0000-0000-0000-0000000000c2', 'C2', 'Europe/London', false);
INSERT INTO dialer.contacts (tenant_id, phone, first_name)
SELECT 'dddddddd-0000-0000-0000-0000000000d1', '+1212555020' || g, 'Lead ' || g FROM generate_series(1, 5) g;
INSERT INTO dialer.contacts (tenant_id, phone, first_name)
VALUES ('dddddddd-0000-0000-0000-0000000000d1', '+442079460006', 'Lead 6');
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
SELECT 'dddddddd-0000-0000-0000-0000000000d1', 'c1c1c1c1-0000-0000-0000-0000000000c1', '+1212555020' || g
  FROM generate_series(1, 5) g;
INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
VALUES ('dddddddd-0000-0000-0000-0000000000d1', 'c2c2c2c2-0000-0000-0000-0000000000c2', '+442079460006');

-- What a claim writes: a claimed call and an in-progress lead (as dialer.claim_calls does).
CREATE FUNCTION pg_temp.claim(p_phone text, p_at timestamptz) RETURNS uuid LANGUAGE sql AS $$
  WITH l AS (UPDATE dialer.leads SET status = 'in_progress', attempts = attempts + 1, last_attempt_at = p_at
              WHERE phone = p_phone RETURNING *)
  INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, claimed_at, lease_expires_at)
  SELECT tenant_id, campaign_id, id, phone, 'claimed', attempts, p_at, p_at + interval '5 minutes' FROM l
  RETURNING id
$$;
-- The call of a lead's attempt.
CREATE FUNCTION pg_temp.call_of(p_phone text, p_attempt integer) RETURNS uuid LANGUAGE sql AS $$
  SELECT id FROM dialer.calls WHERE phone = p_phone AND attempt_number = p_attempt
$$;
-- Every kept counter equals a full recount (no differing counters) for both campaigns.
CREATE FUNCTION pg_temp.exact() RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(v.counter || ' kept ' || coalesce(v.kept, 'none') || ' recounted '
                             || coalesce(v.recounted, 'none'), '; '), 'exact')
    FROM dialer.campaigns c, dialer.verify_campaign_stats(c.id) v
   WHERE c.tenant_id = 'dddddddd-0000-0000-0000-0000000000d1'
$$;
-- A figure of campaign C1's statistics at 2026-03-02 16:00 UTC.
CREATE FUNCTION pg_temp.c1(p_path text[]) RETURNS jsonb LANGUAGE sql AS $$
  SELECT dialer.campaign_stats('c1c1c1c1-0000-0000-0000-0000000000c1', '2026-03-02T16:00:00Z') #> p_path
$$;
\set QUIET off
