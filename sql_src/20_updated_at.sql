-- The updated_at trigger (C, src/pg/updated_at.cpp) and the function that installs it.

CREATE FUNCTION dialer.set_updated_at()
RETURNS trigger
LANGUAGE c
AS 'MODULE_PATHNAME', 'dialer_set_updated_at';
COMMENT ON FUNCTION dialer.set_updated_at() IS
  'BEFORE INSERT OR UPDATE row trigger: stamps the timestamptz/timestamp column named by the first '
  'trigger argument (default updated_at) with the transaction start time, on every UPDATE and on '
  'an INSERT or COPY that leaves it NULL (a supplied value, e.g. a restore''s, is kept; the '
  'column''s DEFAULT now() stamps rows written without one). Further arguments: '
  'skip_noop (leave updates that change no other column untouched), statement or clock (stamp '
  'the statement start or the wall clock instead). Install with dialer.track_updated_at().';
REVOKE EXECUTE ON FUNCTION dialer.set_updated_at() FROM PUBLIC;

CREATE FUNCTION dialer.track_updated_at(
  tbl regclass,
  col name DEFAULT 'updated_at',
  skip_noop boolean DEFAULT false)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
DECLARE
  v_type oid;
  v_kind "char";
BEGIN
  SELECT c.relkind INTO v_kind FROM pg_catalog.pg_class c WHERE c.oid = tbl;
  IF v_kind NOT IN ('r', 'p') THEN
    RAISE EXCEPTION 'relation % is not a table', tbl
      USING ERRCODE = '42809',
            DETAIL = 'Row triggers that stamp a column can only be installed on tables.',
            HINT = 'Pass a table (or partitioned table) name.';
  END IF;
  SELECT a.atttypid INTO v_type
    FROM pg_catalog.pg_attribute a
   WHERE a.attrelid = tbl AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
  IF v_type IS NULL THEN
    RAISE EXCEPTION 'column "%" of relation % does not exist', col, tbl
      USING ERRCODE = '42703',
            DETAIL = 'dialer.track_updated_at() stamps an existing column.',
            HINT = format('Add it first: ALTER TABLE %s ADD COLUMN %I timestamptz NOT NULL DEFAULT now();',
                          tbl, col);
  END IF;
  IF v_type NOT IN ('timestamptz'::pg_catalog.regtype, 'timestamp'::pg_catalog.regtype) THEN
    RAISE EXCEPTION 'column "%" of relation % is of type %', col, tbl, v_type::pg_catalog.regtype
      USING ERRCODE = '42804',
            DETAIL = 'dialer.set_updated_at() stamps timestamptz or timestamp columns.',
            HINT = format('Change its type: ALTER TABLE %s ALTER COLUMN %I TYPE timestamptz;', tbl, col);
  END IF;
  EXECUTE format(
    'CREATE OR REPLACE TRIGGER %I BEFORE INSERT OR UPDATE ON %s '
    'FOR EACH ROW EXECUTE FUNCTION dialer.set_updated_at(%L%s)',
    left('dialer_set_' || col, 63), tbl, col,
    CASE WHEN skip_noop THEN ', ''skip_noop''' ELSE '' END);
  -- Its comment, for the table's owner (or a member of its role): a caller with the TRIGGER
  -- privilege alone may create the trigger but not comment on it. Why inline and not a helper:
  -- a role granted this function (and set_updated_at) must not need a third grant.
  -- sql_src/97_trigger_comments.sql writes the same sentence for the extension's own tables
  -- (sql/updated_at.sql compares the two).
  IF pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = tbl), 'USAGE') THEN
    EXECUTE format('COMMENT ON TRIGGER %I ON %s IS %L', left('dialer_set_' || col, 63), tbl,
                   format('Stamps %I with the transaction start time on every UPDATE and on an INSERT '
                          'that leaves it NULL (dialer.set_updated_at, installed by '
                          'dialer.track_updated_at)%s.', col,
                          CASE WHEN skip_noop THEN '; an UPDATE that changes no other column keeps it'
                               ELSE '' END));
  END IF;
END
$$;
COMMENT ON FUNCTION dialer.track_updated_at(regclass, name, boolean) IS
  'Installs dialer.set_updated_at() on table tbl for column col (default updated_at) after '
  'checking the column exists (42703) and is timestamptz or timestamp (42804). skip_noop => true '
  'leaves updates that change no other column untouched. Idempotent: re-running replaces the '
  'trigger named dialer_set_<col> (and its comment).';
REVOKE EXECUTE ON FUNCTION dialer.track_updated_at(regclass, name, boolean) FROM PUBLIC;
