-- Local development data for `supabase db reset`: one demo tenant with an owner, a
-- WhatsApp number and a support email for tenant resolution, a campaign with three leads,
-- and a conversation with an open escalation. Sign in as the owner by minting a JWT whose
-- sub is 00000000-0000-4000-8000-00000000d0e0.
INSERT INTO dialer.tenants (id, name, slug, default_time_zone, default_region, retention_days)
VALUES ('00000000-0000-4000-8000-0000000000de', 'Demo Hotel', 'demo-hotel', 'America/New_York', 'US', 90);

INSERT INTO dialer.tenant_members (tenant_id, user_id, role)
VALUES ('00000000-0000-4000-8000-0000000000de', '00000000-0000-4000-8000-00000000d0e0', 'owner');

INSERT INTO dialer.tenant_identifiers (tenant_id, kind, value, channel) VALUES
  ('00000000-0000-4000-8000-0000000000de', 'phone', '+1 415 555 0100', 'whatsapp'),
  ('00000000-0000-4000-8000-0000000000de', 'email', 'Front.Desk@demo-hotel.example', NULL);

INSERT INTO dialer.campaigns (tenant_id, id, name, description, agent_id, voice_id, system_prompt,
                              time_zone, retry_policy, max_concurrent_calls)
VALUES ('00000000-0000-4000-8000-0000000000de', '00000000-0000-4000-8000-0000000c0de0',
        'Spring reactivation', 'Call past guests about spring offers', 'agent_demo', 'voice_demo',
        'You are a friendly hotel concierge.', 'America/New_York',
        '{"max_attempts": 3}', 2);

INSERT INTO dialer.contacts (tenant_id, phone, first_name, last_name, email, consent_ai_voice_at, consent_source)
VALUES ('00000000-0000-4000-8000-0000000000de', '+1 (212) 555-0101', 'Ada', 'Lovelace', 'ada@example.com', now(), 'booking form'),
       ('00000000-0000-4000-8000-0000000000de', '+44 20 7946 0958', 'Alan', 'Turing', NULL, now(), 'booking form'),
       ('00000000-0000-4000-8000-0000000000de', '+33 1 42 68 53 00', 'Grace', 'Hopper', NULL, NULL, NULL);

INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
SELECT tenant_id, '00000000-0000-4000-8000-0000000c0de0', phone
  FROM dialer.contacts WHERE tenant_id = '00000000-0000-4000-8000-0000000000de';

INSERT INTO dialer.conversations (tenant_id, id, user_id, agent_id, session_id, channel)
VALUES ('00000000-0000-4000-8000-0000000000de', '00000000-0000-4000-8000-0000000c0a00',
        '00000000-0000-4000-8000-00000000d0e0', 'agent_demo', 'demo-session-1', 'chat');
INSERT INTO dialer.messages (tenant_id, conversation_id, role, content) VALUES
  ('00000000-0000-4000-8000-0000000000de', '00000000-0000-4000-8000-0000000c0a00', 'user', 'Can I move my booking?'),
  ('00000000-0000-4000-8000-0000000000de', '00000000-0000-4000-8000-0000000c0a00', 'assistant', 'Let me get a colleague.');
INSERT INTO dialer.escalations (tenant_id, conversation_id, issue_type, original_request, contact_info)
VALUES ('00000000-0000-4000-8000-0000000000de', '00000000-0000-4000-8000-0000000c0a00', 'booking_change',
        'Can I move my booking?', '{"email": "ada@example.com"}');
