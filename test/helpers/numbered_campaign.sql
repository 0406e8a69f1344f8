-- pg_temp.numbered_campaign(tenant, campaign, slots, leads): tenant (US) and its campaign
-- (us_federal pack, no AI voice, one attempt per lead, `slots` concurrent calls) with
-- `leads` New York leads +1 212 555 0001 onwards, started at 2026-11-24T14:00Z, so that
-- claims at 15:00Z (10:00 in New York) find them due. Inside the test's transaction.
-- Returns what dialer.start_campaign answers.
CREATE FUNCTION pg_temp.numbered_campaign(p_tenant uuid, p_campaign uuid, p_slots integer, p_leads integer)
RETURNS jsonb LANGUAGE sql AS $$
  INSERT INTO dialer.tenants (id, name, default_region) VALUES (p_tenant, 'T', 'US');
  INSERT INTO dialer.campaigns (tenant_id, id, name, max_concurrent_calls, uses_ai_voice, rule_packs, retry_policy)
  VALUES (p_tenant, p_campaign, 'numbered', p_slots, false, '{us_federal}', '{"max_attempts": 1}');
  INSERT INTO dialer.contacts (tenant_id, phone)
  SELECT p_tenant, '+1212555' || lpad(g::text, 4, '0') FROM generate_series(1, p_leads) g;
  INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
  SELECT p_tenant, p_campaign, phone FROM dialer.contacts WHERE tenant_id = p_tenant;
  SELECT dialer.start_campaign(p_campaign, '2026-11-24T14:00:00Z');
$$;
