CREATE OR REPLACE FUNCTION dialer._comment_updated_at_trigger(tbl regclass, col name, skip_noop boolean)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  -- Why only for the table's owner (or a member of its role): a caller with the TRIGGER
  -- privilege alone may create the trigger but not comment on it.
  IF NOT pg_catalog.pg_has_role((SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid = tbl), 'USAGE') THEN
    RETURN;
  END IF;
  EXECUTE format('COMMENT ON TRIGGER %I ON %s IS %L', left('dialer_set_' || col, 63), tbl,
                 format('Stamps %I with the transaction start time on every UPDATE and on an INSERT '
                        'that leaves it NULL (dialer.set_updated_at, installed by '
                        'dialer.track_updated_at)%s.', col,
                        CASE WHEN skip_noop THEN '; an UPDATE that changes no other column keeps it'
                             ELSE '' END));
END
$$;
COMMENT ON FUNCTION dialer._comment_updated_at_trigger(regclass, name, boolean) IS
  'Internal: comments the trigger dialer.track_updated_at() installed on table tbl for column col.';
