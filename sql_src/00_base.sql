-- Base objects: the schema's comment and dialer.version().

COMMENT ON SCHEMA dialer IS
  'pg_dialer: the in-database engine of AI voice-call campaigns (tables, RLS, functions).';

CREATE FUNCTION dialer.version()
RETURNS text
LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_version';
COMMENT ON FUNCTION dialer.version() IS
  'The pg_dialer version the loaded library was built as, e.g. 0.1.0.';
REVOKE EXECUTE ON FUNCTION dialer.version() FROM PUBLIC;
