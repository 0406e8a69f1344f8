-- supabase/seed.sql applies cleanly on top of the migration and yields a usable demo.
BEGIN;
SELECT plan(4);
\ir ../../supabase/seed.sql
SELECT is(dialer.resolve_tenant('+14155550100', 'whatsapp'), '00000000-0000-4000-8000-0000000000de'::uuid,
          'the demo WhatsApp number resolves to the demo tenant');
SELECT is(dialer.resolve_tenant('front.desk@demo-hotel.example', 'email'), '00000000-0000-4000-8000-0000000000de'::uuid,
          'so does the front desk email');
SELECT is((SELECT array_agg(phone ORDER BY phone) FROM dialer.leads),
          ARRAY['+12125550101', '+33142685300', '+442079460958'], 'three leads, stored as E.164');
SELECT is((SELECT status::text FROM dialer.escalations), 'pending', 'an open escalation');
SELECT * FROM finish();
ROLLBACK;
