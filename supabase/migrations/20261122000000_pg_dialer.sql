-- pg_dialer for a Supabase project: creates the extension (schema `dialer`), grants the
-- API roles exactly what they need, adds the live tables to Realtime, and asks
-- PostgREST to reload its schema cache. One transaction, no psql meta-commands, so the
-- Supabase CLI (`supabase db reset`, `supabase db push`) runs it as is.
--
-- Expose the tables and functions to the API by adding "dialer" to [api].schemas in
-- supabase/config.toml (done in this project's config.toml), then
--   supabase.schema('dialer').from('campaigns').select()
--   supabase.schema('dialer').rpc('add_lead', { p_campaign_id, p_phone })

CREATE EXTENSION IF NOT EXISTS pg_dialer;

-- authenticated: the schema, each table command some RLS policy allows (UPDATE on
-- non-key columns), reference tables read-only, the signed-in functions.
-- service_role: every table (it bypasses RLS) and the back-office functions.
-- anon: nothing.
SELECT dialer.grant_api_access();

-- Realtime (postgres_changes, RLS-filtered) for campaigns, leads and calls when the
-- project has the supabase_realtime publication.
SELECT dialer.join_realtime_publication();

NOTIFY pgrst, 'reload schema';
