-- test_helpers.table_request: one table request (GET/POST/PATCH/DELETE on /table) the
-- way PostgREST makes it, for RLS tests; the table-side twin of postgrest_request.sql.
-- Load it inside a test's transaction with \ir ../helpers/table_request.sql.
--
-- Reproduced: GET runs READ ONLY; role, request.jwt.claims (role and sub) and
-- request.method set locally; the statement runs in a subtransaction, kept like a
-- committed request unless it fails or p_rollback is true (then one test can make many
-- requests against the same fixture). Answers
-- {"status", "body"}: GET -> 200 and the rows as a JSON array; POST -> 201, PATCH and
-- DELETE -> 204 (Prefer: return=minimal) with "rows" = rows written; an error -> the
-- status PostgREST maps its SQLSTATE to, with {code, message, details, hint}.

CREATE SCHEMA IF NOT EXISTS test_helpers;

CREATE OR REPLACE FUNCTION test_helpers.table_request(p_role text, p_sub text, p_sql text,
                                                      p_rollback boolean DEFAULT false)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  v_method text := CASE WHEN p_sql ~* '^\s*select' THEN 'GET'
                        WHEN p_sql ~* '^\s*insert' THEN 'POST'
                        WHEN p_sql ~* '^\s*update' THEN 'PATCH' ELSE 'DELETE' END;
  v_prev_role text := current_setting('role');
  v_result jsonb;
  v_rows bigint;
  v_state text; v_msg text; v_detail text; v_hint text;
BEGIN
  BEGIN
    IF v_method = 'GET' THEN
      PERFORM set_config('transaction_read_only', 'on', true);
    END IF;
    PERFORM set_config('role', p_role, true),
            set_config('request.jwt.claims',
                       jsonb_strip_nulls(jsonb_build_object('role', p_role, 'sub', p_sub))::text, true),
            set_config('request.method', v_method, true);
    IF v_method = 'GET' THEN
      EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(r)), ''[]'') FROM (%s) r', p_sql) INTO v_result;
      v_result := jsonb_build_object('status', 200, 'body', v_result);
    ELSE
      EXECUTE p_sql;
      GET DIAGNOSTICS v_rows = ROW_COUNT;
      v_result := jsonb_build_object('status', CASE v_method WHEN 'POST' THEN 201 ELSE 204 END,
                                     'rows', v_rows);
    END IF;
    IF v_method = 'GET' OR p_rollback THEN
      -- Leave by a sentinel error: the subtransaction, read-only setting and role go with it.
      RAISE EXCEPTION USING ERRCODE = 'PGRSR';
    END IF;
    PERFORM set_config('role', v_prev_role, true),
            set_config('request.jwt.claims', '', true),
            set_config('request.method', '', true);
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
                            v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
    IF v_state <> 'PGRSR' THEN
      v_result := test_helpers.error_response(test_helpers.http_status(v_state, p_role),
                                              v_state, v_msg, v_detail, v_hint);
    END IF;
  END;
  RETURN v_result;
END
$$;
COMMENT ON FUNCTION test_helpers.table_request(text, text, text, boolean) IS
  'Performs a table request as PostgREST would (role, JWT sub, READ ONLY for GET) and returns '
  '{status, body | rows}; writes are kept unless p_rollback.';
