-- Last test of `make installcheck`: drops the roles regress_setup created (those with its
-- comment), after removing their privileges and objects in this database. Roles that
-- existed before the run are left alone. pg_regress keeps contrib_regression for inspection.
SET client_min_messages = warning;
DO $teardown$
DECLARE
  r name;
BEGIN
  FOR r IN SELECT a.rolname FROM pg_authid a
             JOIN pg_shdescription d ON d.objoid = a.oid AND d.classoid = 'pg_authid'::regclass
            WHERE d.description = 'created by pg_dialer make installcheck; dropped at its end'
  LOOP
    EXECUTE format('DROP OWNED BY %I', r);
    EXECUTE format('DROP ROLE %I', r);
  END LOOP;
END
$teardown$;
SELECT count(*) AS marked_roles_left FROM pg_shdescription
 WHERE classoid = 'pg_authid'::regclass
   AND description = 'created by pg_dialer make installcheck; dropped at its end';
