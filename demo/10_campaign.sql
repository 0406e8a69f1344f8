-- Demo step 1: a tenant, its team, and an outbound campaign with real calling rules.
\set QUIET on
\set ON_ERROR_STOP on
SELECT setseed(0.42);
INSERT INTO dialer.tenants (id, name, slug, default_region, default_time_zone)
VALUES ('d0000000-0000-0000-0000-000000000001', 'Acme Health Reminders', 'acme', 'US', 'America/New_York');
INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES
  ('d0000000-0000-0000-0000-000000000001', 'd0000000-0000-0000-0000-0000000000a0', 'owner'),
  ('d0000000-0000-0000-0000-000000000001', 'd0000000-0000-0000-0000-0000000000a1', 'agent');
INSERT INTO dialer.campaigns (tenant_id, id, name, provider, agent_id, voice_id, uses_ai_voice,
                              max_concurrent_calls, rule_packs, calling_windows, retry_policy, time_zone)
VALUES ('d0000000-0000-0000-0000-000000000001', 'd0000000-0000-0000-0000-0000000000c1',
        'Flu-shot reminders', 'retell', 'agent_flu_v3', 'eleven_rachel', true, 24, '{us_federal}',
        '{"days": {"mon": [["09:00", "20:00"]], "tue": [["09:00", "20:00"]], "wed": [["09:00", "20:00"]],
                   "thu": [["09:00", "20:00"]], "fri": [["09:00", "20:00"]], "sat": [["10:00", "14:00"]]},
          "holidays": ["us_federal"]}',
        '{"max_attempts": 4, "min_gap": "30m", "caps": [{"max": 3, "per": "24h"}],
          "cool_down": {"after_abandoned": "72h", "after_refusal": "60d"},
          "classes": {"no_answer": {"delays": ["45m", "3h", "1d"]},
                      "busy": {"backoff": {"initial": "10m", "factor": 2, "max": "2h"}, "jitter": 0.2},
                      "voicemail": {"delays": ["4h", "1d"]},
                      "human_incomplete": {"delays": ["2h"], "max_attempts": 1},
                      "failed": {"delays": ["1h"], "max_attempts": 2},
                      "transport_error": {"backoff": {"initial": "5m", "max": "1h"}},
                      "unknown": {"delays": ["6h"], "max_attempts": 1}}}',
        'America/New_York');
\echo
\echo '=== 1. Campaign "Flu-shot reminders" (tenant Acme, AI voice, 24 concurrent calls) ==='
\echo '    rules: US federal 08:00-21:00 local, campaign Mon-Fri 09:00-20:00 + Sat 10:00-14:00 local,'
\echo '    US federal holidays, <= 3 calls per 24 h, 30 min gap, 72 h after an abandoned call, 60 days after a refusal'
