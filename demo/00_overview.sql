-- Demo step 0: what this database now offers.
\echo
\echo '=== pg_dialer ==='
SELECT 'pg_dialer ' || extversion || ' in schema ' || extnamespace::regnamespace AS extension,
       'library ' || dialer.version() AS loaded
  FROM pg_extension WHERE extname = 'pg_dialer';
\echo 'Functions:'
SELECT p.oid::regprocedure AS function, obj_description(p.oid, 'pg_proc') AS purpose
  FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_dialer') AND d.deptype = 'e'
 ORDER BY p.proname::text;
