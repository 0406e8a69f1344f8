-- One sorted line per catalog fact of the extension's schema: what a fresh install and an
-- upgraded one must agree on (test/scripts/extension_upgrade.sh diffs the two outputs).
-- Functions: signature, result, language, body, settings, volatility, strictness,
-- security, parallel safety, privileges, comment. Relations: kind, options, privileges,
-- comment; columns in order with type, default, nullability, storage and comment;
-- constraints, indexes, triggers and policies, each with its comment; enum labels; the
-- extension's dumped tables.
SELECT line FROM (
  SELECT format('function %s(%s) returns %s lang=%s vol=%s strict=%s secdef=%s par=%s config=%s acl=%s comment=%s body=%s',
                p.proname, pg_get_function_identity_arguments(p.oid), pg_get_function_result(p.oid),
                l.lanname, p.provolatile, p.proisstrict, p.prosecdef, p.proparallel, p.proconfig, p.proacl,
                md5(coalesce(obj_description(p.oid, 'pg_proc'), '')), md5(coalesce(p.prosrc, ''))) AS line
    FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
   WHERE p.pronamespace = 'dialer'::regnamespace
  UNION ALL
  SELECT format('relation %s kind=%s options=%s acl=%s rls=%s comment=%s', c.relname, c.relkind, c.reloptions,
                c.relacl, c.relrowsecurity, md5(coalesce(obj_description(c.oid, 'pg_class'), '')))
    FROM pg_class c WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'v', 'S', 'p')
  UNION ALL
  SELECT format('column %s.%s #%s %s notnull=%s default=%s storage=%s comment=%s', c.relname, a.attname,
                a.attnum, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                pg_get_expr(d.adbin, d.adrelid), a.attstorage, md5(coalesce(col_description(c.oid, a.attnum), '')))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = 'dialer'::regnamespace AND c.relkind IN ('r', 'v', 'p') AND a.attnum > 0
     AND NOT a.attisdropped
  UNION ALL
  SELECT format('constraint %s.%s %s comment=%s', c.relname, k.conname, pg_get_constraintdef(k.oid),
                md5(coalesce(obj_description(k.oid, 'pg_constraint'), '')))
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = 'dialer'::regnamespace
  UNION ALL
  SELECT format('domain constraint %s.%s %s comment=%s', t.typname, k.conname, pg_get_constraintdef(k.oid),
                md5(coalesce(obj_description(k.oid, 'pg_constraint'), '')))
    FROM pg_constraint k JOIN pg_type t ON t.oid = k.contypid WHERE t.typnamespace = 'dialer'::regnamespace
  UNION ALL
  SELECT format('index %s comment=%s', pg_get_indexdef(i.indexrelid),
                md5(coalesce(obj_description(i.indexrelid, 'pg_class'), '')))
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'dialer'::regnamespace
  UNION ALL
  SELECT format('trigger %s enabled=%s comment=%s', pg_get_triggerdef(t.oid), t.tgenabled,
                md5(coalesce(obj_description(t.oid, 'pg_trigger'), '')))
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = 'dialer'::regnamespace AND NOT t.tgisinternal
  UNION ALL
  SELECT format('policy %s.%s %s %s using=%s check=%s comment=%s', p.tablename, p.policyname, p.cmd, p.roles,
                p.qual, p.with_check, md5(coalesce(obj_description(o.oid, 'pg_policy'), '')))
    FROM pg_policies p JOIN pg_policy o ON o.polname = p.policyname
                                     AND o.polrelid = format('%I.%I', p.schemaname, p.tablename)::regclass
   WHERE p.schemaname = 'dialer'
  UNION ALL
  SELECT format('enum %s %s', t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder))
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'dialer'::regnamespace
   GROUP BY t.typname
  UNION ALL
  SELECT format('dumped %s', (SELECT array_agg(c::regclass::text ORDER BY c::regclass::text) FROM unnest(extconfig) c))
    FROM pg_extension WHERE extname = 'pg_dialer'
) facts ORDER BY line;
