-- The C++/Postgres boundary: every C++ exception family thrown in a core becomes a
-- clean ERROR with its SQLSTATE, and the same backend keeps serving queries.
CREATE FUNCTION pg_temp.selftest_raise(kind text) RETURNS text
  LANGUAGE c STRICT AS 'pg_dialer', 'pg_dialer_selftest_raise';
-- The SQLSTATE each kind raises, caught in PL/pgSQL.
CREATE FUNCTION pg_temp.sqlstate_of(kind text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_temp.selftest_raise(kind);
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE;
END $$;
SELECT pg_backend_pid() AS pid \gset
SELECT pg_temp.selftest_raise('none');
SELECT pg_temp.selftest_raise('domain');
SELECT pg_temp.selftest_raise('bad_alloc');
SELECT pg_temp.selftest_raise('std');
SELECT pg_temp.selftest_raise('foreign');
SELECT pg_temp.selftest_raise('pg');
SELECT pg_temp.selftest_raise('no such kind');
SELECT kind, pg_temp.sqlstate_of(kind) AS sqlstate
  FROM unnest(ARRAY['none', 'domain', 'bad_alloc', 'std', 'foreign', 'pg', 'no such kind']) AS kind;
-- Same backend, still healthy, and errors inside a transaction roll back cleanly.
SELECT pg_backend_pid() = :pid AS same_backend;
BEGIN;
SAVEPOINT s;
SELECT pg_temp.selftest_raise('std');
ROLLBACK TO SAVEPOINT s;
SELECT pg_temp.selftest_raise('none') AS after_savepoint;
COMMIT;
-- Many errors in a row leave nothing behind (no leaked error state or memory context).
SELECT count(*) FILTER (WHERE pg_temp.sqlstate_of(k) = '22023') AS domain_errors
  FROM generate_series(1, 1000) g, LATERAL (SELECT CASE WHEN g % 2 = 0 THEN 'domain' ELSE 'no such kind' END) AS x(k);
SELECT dialer.version() = (SELECT extversion FROM pg_extension WHERE extname = 'pg_dialer') AS version_matches;
