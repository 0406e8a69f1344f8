-- The PostgREST request helper behaves as PostgREST does: method/volatility decide
-- READ ONLY, privileges map to 401/403, SQLSTATEs map to HTTP statuses, and the
-- error body carries code, message, details and hint.
BEGIN;
SELECT plan(16);

CREATE TABLE public.tap_things (id int PRIMARY KEY);
CREATE FUNCTION public.tap_add_thing(id int) RETURNS int LANGUAGE sql VOLATILE
  AS $$ INSERT INTO public.tap_things VALUES (id) RETURNING id $$;
CREATE FUNCTION public.tap_count_things() RETURNS bigint LANGUAGE sql STABLE
  AS $$ SELECT count(*) FROM public.tap_things $$;
CREATE FUNCTION public.tap_list_things(min_id int DEFAULT 0) RETURNS SETOF public.tap_things
  LANGUAGE sql STABLE AS $$ SELECT * FROM public.tap_things WHERE id >= min_id ORDER BY id $$;
CREATE FUNCTION public.tap_not_found() RETURNS void LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'PT404', MESSAGE = 'thing not found'; END $$;
CREATE FUNCTION public.tap_bad_input(x int) RETURNS void LANGUAGE plpgsql AS $$
  BEGIN RAISE EXCEPTION 'bad x: %', x USING DETAIL = 'x must be positive', HINT = 'pass x > 0'; END $$;
CREATE FUNCTION public.tap_noop() RETURNS void LANGUAGE sql VOLATILE AS $$ SELECT $$;
REVOKE EXECUTE ON FUNCTION public.tap_add_thing(int), public.tap_count_things(),
  public.tap_list_things(int), public.tap_not_found(), public.tap_bad_input(int), public.tap_noop() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.tap_add_thing(int), public.tap_count_things(),
  public.tap_list_things(int), public.tap_not_found(), public.tap_bad_input(int), public.tap_noop() TO authenticated;
GRANT SELECT, INSERT ON public.tap_things TO authenticated;

SELECT is(test_helpers.postgrest_request('POST', 'tap_add_thing', '{"id": 1}', 'authenticated'),
          '{"status": 200, "body": 1}', 'POST to a VOLATILE writer succeeds and returns the scalar');
SELECT is((SELECT count(*) FROM public.tap_things), 1::bigint, 'a read-write request commits its write');
SELECT is(test_helpers.postgrest_request('GET', 'tap_add_thing', '{"id": 2}', 'authenticated') -> 'status',
          '405', 'GET of a VOLATILE writer -> 405');
SELECT is(test_helpers.postgrest_request('GET', 'tap_add_thing', '{"id": 2}', 'authenticated') #>> '{body,code}',
          '25006', 'GET of a writer fails with 25006 read-only transaction');
SELECT is(test_helpers.postgrest_request('POST', 'tap_add_thing', '{"id": 3}', 'anon') -> 'status',
          '401', 'missing EXECUTE -> 401 for anon');
SELECT is(test_helpers.postgrest_request('POST', 'tap_add_thing', '{"id": 3}', 'service_role') -> 'status',
          '403', 'missing EXECUTE -> 403 for a signed-in role');
SELECT is(test_helpers.postgrest_request('POST', 'tap_add_thing', '{"id": 1}', 'authenticated') -> 'status',
          '409', 'unique violation -> 409');
SELECT is(test_helpers.postgrest_request('POST', 'tap_not_found', '{}', 'authenticated') -> 'status',
          '404', 'PT404 -> 404');
SELECT is(test_helpers.postgrest_request('POST', 'tap_bad_input', '{"x": -1}', 'authenticated'),
          '{"status": 400, "body": {"code": "P0001", "message": "bad x: -1", "details": "x must be positive", "hint": "pass x > 0"}}',
          'RAISE with DETAIL and HINT -> 400 with both fields');
SELECT is(test_helpers.postgrest_request('POST', 'tap_count_things', '{}', 'authenticated'),
          '{"status": 200, "body": 1}', 'POST to a STABLE function reads (read-only)');
SELECT is(test_helpers.postgrest_request('GET', 'tap_list_things', '{}', 'authenticated'),
          '{"status": 200, "body": [{"id": 1}]}', 'SETOF returns a JSON array; omitted optional parameter takes its DEFAULT');
SELECT is(test_helpers.postgrest_request('GET', 'tap_list_things', '{"bogus": 1}', 'authenticated') -> 'status',
          '404', 'an unknown body key -> 404 PGRST202');
SELECT is(test_helpers.postgrest_request('POST', 'tap_add_thing', '{}', 'authenticated') #>> '{body,code}',
          'PGRST202', 'a missing required parameter -> PGRST202');
SELECT is(test_helpers.postgrest_request('POST', 'tap_noop', '{}', 'authenticated'),
          '{"status": 204, "body": null}', 'void -> 204');
SELECT is(test_helpers.postgrest_request('POST', 'tap_count_things', '{}', 'authenticated',
          '{"sub": "00000000-0000-0000-0000-000000000001"}') -> 'status', '200', 'claims are accepted');
SELECT is(current_setting('role') || '/' || current_setting('transaction_read_only') || '/' || current_user,
          'none/off/postgres', 'role, read-only mode and user are restored after requests');

SELECT * FROM finish();
ROLLBACK;
