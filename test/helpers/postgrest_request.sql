-- test_helpers.postgrest_request: performs one RPC request the way PostgREST does
-- (see ../shared/POSTGREST.md), inside a subtransaction so one test file can make
-- many requests. Returns {"status": <http status>, "body": <response json>}.
--
-- Steps reproduced: READ ONLY for GET and for POST to a STABLE/IMMUTABLE function,
-- READ WRITE for POST to a VOLATILE one; role, request.jwt.claims (role forced in),
-- request.method, request.path and request.headers set locally; the function called
-- with named arguments read from the JSON body by json_to_record; the result shaped
-- (scalar / array / object / 204); errors mapped from SQLSTATE to HTTP status with a
-- {code, message, details, hint} body. Statement timeouts cannot be reproduced here
-- (one outer statement): test them with separate statements.

CREATE SCHEMA IF NOT EXISTS test_helpers;
COMMENT ON SCHEMA test_helpers IS 'Test-only helpers (PostgREST request emulation); never installed by the extension.';

-- HTTP status PostgREST answers for an SQLSTATE; p_role decides 401 vs 403 on 42501.
CREATE OR REPLACE FUNCTION test_helpers.http_status(p_sqlstate text, p_role text)
RETURNS int LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN p_sqlstate ~ '^PT[0-9]{3}$' THEN substr(p_sqlstate, 3)::int
    WHEN p_sqlstate IN ('23503', '23505') THEN 409
    WHEN p_sqlstate = '25006' THEN 405
    WHEN p_sqlstate = '42501' THEN CASE WHEN p_role = 'anon' THEN 401 ELSE 403 END
    WHEN p_sqlstate IN ('42883', '42P01') THEN 404
    WHEN p_sqlstate = 'P0001' THEN 400
    WHEN p_sqlstate ~ '^(08|53)' THEN 503
    WHEN p_sqlstate ~ '^(09|25|2D|38|39|3B|40|54|55|57|58|F0|HV|P0|XX)' THEN 500
    WHEN p_sqlstate ~ '^(0L|0P|28)' THEN 403
    ELSE 400
  END
$$;
COMMENT ON FUNCTION test_helpers.http_status(text, text) IS
  'The HTTP status PostgREST returns for an SQLSTATE (42501: 401 for anon, else 403).';

-- PostgREST-style error response (status plus {code, message, details, hint}).
CREATE OR REPLACE FUNCTION test_helpers.error_response(p_status int, p_code text, p_message text,
                                                       p_details text, p_hint text)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('status', p_status,
    'body', jsonb_build_object('code', p_code, 'message', p_message,
                               'details', nullif(p_details, ''), 'hint', nullif(p_hint, '')))
$$;
COMMENT ON FUNCTION test_helpers.error_response(int, text, text, text, text) IS
  'Builds a PostgREST error response object.';

-- The one function a request names, or an error response (404 none, 300 overloads).
CREATE OR REPLACE FUNCTION test_helpers.resolve_function(p_function text, OUT fn oid, OUT error jsonb)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_schema text := coalesce(nullif(split_part(p_function, '.', 2), ''), NULL);
  v_name text;
  v_count int;
BEGIN
  IF v_schema IS NULL THEN v_schema := 'public'; v_name := p_function;
  ELSE v_schema := split_part(p_function, '.', 1); v_name := split_part(p_function, '.', 2);
  END IF;
  SELECT count(*), min(p.oid) INTO v_count, fn
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = v_schema AND p.proname = v_name AND p.prokind = 'f';
  IF v_count = 0 THEN
    fn := NULL;
    error := test_helpers.error_response(404, 'PGRST202',
      format('Could not find the function %s.%s in the schema cache', v_schema, v_name), NULL, NULL);
  ELSIF v_count > 1 THEN
    fn := NULL;
    error := test_helpers.error_response(300, 'PGRST203',
      format('Could not choose the best candidate function between several %s.%s', v_schema, v_name), NULL, NULL);
  END IF;
END
$$;
COMMENT ON FUNCTION test_helpers.resolve_function(text, OUT oid, OUT jsonb) IS
  'Finds the single plain function a request names (public by default), else a PGRST202/203 response.';

-- The SQL text that calls fn with named arguments read from $1 (the JSON body) and
-- returns the response body as jsonb; or an error response when the body's keys do
-- not match the function's parameters (PGRST202, as PostgREST does).
CREATE OR REPLACE FUNCTION test_helpers.call_sql(p_fn oid, p_body jsonb, OUT sql text, OUT error jsonb)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_proc pg_proc;
  v_names text[] := '{}';
  v_types text[] := '{}';
  v_required int;
  v_cols text;
  v_args text;
  v_target text;
  v_from text;
  v_ret_typtype "char";
  i int;
BEGIN
  SELECT * INTO v_proc FROM pg_proc WHERE oid = p_fn;
  FOR i IN 1 .. v_proc.pronargs LOOP
    v_names := v_names || coalesce(v_proc.proargnames[i], '');
    v_types := v_types || format_type(v_proc.proargtypes[i - 1], NULL);
  END LOOP;
  v_required := v_proc.pronargs - v_proc.pronargdefaults;
  IF EXISTS (SELECT 1 FROM jsonb_object_keys(p_body) k WHERE k <> ALL (v_names))
     OR EXISTS (SELECT 1 FROM generate_series(1, v_required) j WHERE NOT p_body ? v_names[j]) THEN
    error := test_helpers.error_response(404, 'PGRST202',
      format('Could not find the function %s(%s) in the schema cache', p_fn::regproc,
             (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(p_body) k)), NULL, NULL);
    RETURN;
  END IF;
  SELECT string_agg(format('%I %s', v_names[j], v_types[j]), ', '),
         string_agg(format('%I := _.%I', v_names[j], v_names[j]), ', ')
    INTO v_cols, v_args
    FROM generate_series(1, v_proc.pronargs) j WHERE p_body ? v_names[j];
  v_target := format('%s(%s)', p_fn::regproc, coalesce(v_args, ''));
  v_from := CASE WHEN v_cols IS NULL THEN '(SELECT 1) AS _'
                 ELSE format('json_to_record($1::json) AS _(%s)', v_cols) END;
  SELECT typtype INTO v_ret_typtype FROM pg_type WHERE oid = v_proc.prorettype;
  sql := CASE
    WHEN v_proc.prorettype = 'void'::regtype THEN
      format('SELECT NULL::jsonb FROM %s, LATERAL (SELECT %s) AS pgrst_call', v_from, v_target)
    WHEN v_proc.proretset THEN
      format('SELECT coalesce(jsonb_agg(pgrst_call), ''[]'') FROM %s, LATERAL %s AS pgrst_call', v_from, v_target)
    WHEN v_ret_typtype = 'c' THEN
      format('SELECT to_jsonb(pgrst_call) FROM %s, LATERAL %s AS pgrst_call', v_from, v_target)
    ELSE format('SELECT to_jsonb(%s) FROM %s', v_target, v_from)
  END;
END
$$;
COMMENT ON FUNCTION test_helpers.call_sql(oid, jsonb, OUT text, OUT jsonb) IS
  'The SQL PostgREST would run for an RPC call with named arguments from a JSON body.';

-- Performs one PostgREST RPC request and returns {"status", "body"}.
CREATE OR REPLACE FUNCTION test_helpers.postgrest_request(
  p_method text,
  p_function text,
  p_body jsonb DEFAULT '{}',
  p_role text DEFAULT 'anon',
  p_claims jsonb DEFAULT NULL,
  p_headers jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_fn oid;
  v_error jsonb;
  v_sql text;
  v_read_only boolean;
  v_returns_void boolean;
  v_result jsonb;
  v_claims jsonb := coalesce(p_claims, '{}'::jsonb) || jsonb_build_object('role', p_role);
  v_prev_role text := current_setting('role');
  v_state text; v_msg text; v_detail text; v_hint text;
BEGIN
  SELECT fn, error INTO v_fn, v_error FROM test_helpers.resolve_function(p_function);
  IF v_error IS NOT NULL THEN RETURN v_error; END IF;
  SELECT sql, error INTO v_sql, v_error FROM test_helpers.call_sql(v_fn, coalesce(p_body, '{}'));
  IF v_error IS NOT NULL THEN RETURN v_error; END IF;
  SELECT upper(p_method) IN ('GET', 'HEAD') OR p.provolatile <> 'v', p.prorettype = 'void'::regtype
    INTO v_read_only, v_returns_void FROM pg_proc p WHERE p.oid = v_fn;
  BEGIN
    IF v_read_only THEN
      -- Going read-only is allowed inside a subtransaction; it is undone by the
      -- rollback below (a read-only request never commits anything anyway).
      PERFORM set_config('transaction_read_only', 'on', true);
    END IF;
    PERFORM set_config('role', p_role, true),
            set_config('request.jwt.claims', v_claims::text, true),
            set_config('request.method', upper(p_method), true),
            set_config('request.path', '/rpc/' || p_function, true),
            set_config('request.headers', coalesce(p_headers, '{}')::text, true),
            set_config('request.cookies', '{}', true);
    EXECUTE v_sql INTO v_result USING coalesce(p_body, '{}');
    IF v_read_only THEN
      -- Leave the subtransaction by a sentinel error so the read-only setting and
      -- the role are rolled back with it.
      RAISE EXCEPTION USING ERRCODE = 'PGRSR', MESSAGE = coalesce(v_result::text, 'null');
    END IF;
    PERFORM set_config('role', v_prev_role, true),
            set_config('request.jwt.claims', '', true),
            set_config('request.method', '', true),
            set_config('request.path', '', true),
            set_config('request.headers', '', true);
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT,
                            v_detail = PG_EXCEPTION_DETAIL, v_hint = PG_EXCEPTION_HINT;
    IF v_state = 'PGRSR' THEN
      v_result := v_msg::jsonb;
    ELSE
      RETURN test_helpers.error_response(test_helpers.http_status(v_state, p_role),
                                         v_state, v_msg, v_detail, v_hint);
    END IF;
  END;
  IF v_returns_void THEN
    RETURN jsonb_build_object('status', 204, 'body', NULL);
  END IF;
  RETURN jsonb_build_object('status', 200, 'body', v_result);
END
$$;
COMMENT ON FUNCTION test_helpers.postgrest_request(text, text, jsonb, text, jsonb, jsonb) IS
  'Performs an RPC request as PostgREST would (method, function, JSON body, role, JWT claims) and returns {status, body}.';
