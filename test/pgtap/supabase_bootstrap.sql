-- The Supabase bootstrap gives plain clusters Supabase's roles and auth functions.
BEGIN;
SELECT plan(9);
SELECT has_role('anon');
SELECT has_role('authenticated');
SELECT has_role('authenticator');
SELECT ok((SELECT rolbypassrls FROM pg_roles WHERE rolname = 'service_role'), 'service_role bypasses RLS');
SELECT is(auth.uid(), NULL, 'auth.uid() is NULL in a plain SQL session');
SELECT set_config('request.jwt.claims',
  '{"sub": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "role": "authenticated"}', true);
SELECT is(auth.uid(), '7c9e6679-7425-40de-944b-e07fc1f90ae7'::uuid, 'auth.uid() reads the sub claim');
SELECT is(auth.role(), 'authenticated', 'auth.role() reads the role claim');
SELECT is(auth.jwt() ->> 'sub', '7c9e6679-7425-40de-944b-e07fc1f90ae7', 'auth.jwt() returns the claims');
CREATE TEMP TABLE before_rerun AS SELECT 'auth.uid()'::regprocedure::oid AS uid_oid;
\i test/helpers/supabase_bootstrap.sql
SELECT is('auth.uid()'::regprocedure::oid, (SELECT uid_oid FROM before_rerun),
          're-running the bootstrap leaves existing objects untouched');
SELECT * FROM finish();
ROLLBACK;
