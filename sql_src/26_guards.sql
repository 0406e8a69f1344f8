-- Guards for what a signed-in caller sends (docs/security.md): resource limits read
-- through dialer._limit(), instants that must be close to the server clock, suspended
-- tenants that cannot dial, and who may change a tenant's status or verify an
-- identifier that routes incoming traffic.

CREATE FUNCTION dialer._limit(p_name text)
RETURNS bigint
LANGUAGE c STABLE STRICT PARALLEL SAFE
AS 'MODULE_PATHNAME', 'dialer_limit';
COMMENT ON FUNCTION dialer._limit(text) IS
  'Internal: the value of the resource limit GUC dialer.<p_name> (max_clock_skew in seconds, '
  'max_import_rows, max_timeseries_buckets, max_concurrent_calls); superuser-set only.';
REVOKE EXECUTE ON FUNCTION dialer._limit(text) FROM PUBLIC;
-- Granted: dialer.import_leads_from runs with the caller's rights and reads it.
INSERT INTO dialer.api_grants (function, grantee)
SELECT 'dialer._limit(text)'::regprocedure, g FROM unnest(ARRAY['authenticated', 'service_role']) g;

-- Raises 22023 (HTTP 400) for a request over a limit, naming the limit and how to raise it.
-- Why 22023 and not 54000: PostgREST answers 54xxx with a 5xx, and this is the caller's request.
CREATE FUNCTION dialer._over_limit(p_what text, p_asked numeric, p_limit text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
  RAISE EXCEPTION '% (%) is over the limit dialer.% = %', p_what, p_asked, p_limit, dialer._limit(p_limit)
    USING ERRCODE = '22023',
          DETAIL = format('dialer.%s bounds the work one request may ask for.', p_limit),
          HINT = format('Ask for less per call; a superuser raises the limit with ALTER DATABASE ... '
                        'SET dialer.%s = ..., or GRANT SET ON PARAMETER dialer.%s to the role that may.',
                        p_limit, p_limit);
END
$$;
COMMENT ON FUNCTION dialer._over_limit(text, numeric, text) IS
  'Internal: raises 22023 "<what> (<asked>) is over the limit dialer.<limit> = <value>" with how to raise it.';
REVOKE EXECUTE ON FUNCTION dialer._over_limit(text, numeric, text) FROM PUBLIC;

-- The instant a caller passed (p_now and the like), checked before a function writes with
-- it: finite, and within dialer.max_clock_skew of the server clock unless the caller
-- bypasses RLS (service_role, direct SQL by the owner: tests and back-fills).
-- Why: a signed-in worker could otherwise choose the instant legality is checked at, or
-- backdate call history.
CREATE FUNCTION dialer._check_caller_instant(p_name text, p_value timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
DECLARE
  v_skew bigint;
BEGIN
  IF p_value IS NULL OR NOT isfinite(p_value) THEN
    PERFORM dialer._invalid_arg(p_name, p_value::text, 'a finite timestamp');
  END IF;
  v_skew := dialer._limit('max_clock_skew');
  -- Why epoch arithmetic: timestamptz - timestamptz can overflow an interval far apart.
  IF abs(extract(epoch FROM p_value) - extract(epoch FROM now())) > v_skew
     AND NOT dialer._caller_bypasses_rls() THEN
    RAISE EXCEPTION '% % is more than % seconds from the server clock (%)', p_name, p_value, v_skew, now()
      USING ERRCODE = '22023',
            DETAIL = 'A signed-in caller acts now: instants it passes must be within dialer.max_clock_skew of the server clock.',
            HINT = format('Omit %s (the server clock is used), fix the client clock, or use the service role for back-fills.', p_name);
  END IF;
  RETURN p_value;
END
$$;
COMMENT ON FUNCTION dialer._check_caller_instant(text, timestamptz) IS
  'Internal: returns the instant a caller passed if it is finite and, unless the caller bypasses '
  'RLS, within dialer.max_clock_skew of now(); 22023 naming the parameter otherwise.';
REVOKE EXECUTE ON FUNCTION dialer._check_caller_instant(text, timestamptz) FROM PUBLIC;

-- Raises PT403 when the tenant is suspended: its campaigns are not started, resumed,
-- claimed from or dialled (calls in flight may still be completed or released).
CREATE FUNCTION dialer._require_active_tenant(p_tenant_id uuid, p_action text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = ''
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  IF (SELECT t.status FROM dialer.tenants t WHERE t.id = p_tenant_id) = 'suspended' THEN
    RAISE EXCEPTION 'cannot %: tenant % is suspended', p_action, p_tenant_id
      USING ERRCODE = 'PT403',
            DETAIL = 'A suspended tenant''s campaigns are not started, resumed, claimed from or dialled.',
            HINT = 'The operator (service_role) lifts a suspension by setting dialer.tenants.status to active.';
  END IF;
END
$$;
COMMENT ON FUNCTION dialer._require_active_tenant(uuid, text) IS
  'Internal: PT403 (HTTP 403) when the tenant is suspended; p_action names what was refused.';
REVOKE EXECUTE ON FUNCTION dialer._require_active_tenant(uuid, text) FROM PUBLIC;

-- Only a caller that bypasses RLS (the operator: service_role, the owner) changes a
-- tenant's status; otherwise a suspended tenant's admin could lift its own suspension.
CREATE FUNCTION dialer._guard_tenant_status()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF NOT dialer._caller_bypasses_rls() THEN
    RAISE EXCEPTION 'only the service role changes a tenant''s status (tenant %: % to %)', OLD.id, OLD.status, NEW.status
      USING ERRCODE = '42501', DETAIL = 'Suspension is decided by the operator, not by the tenant''s members.',
            HINT = 'Ask the operator to change it.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._guard_tenant_status() IS
  'BEFORE UPDATE OF status trigger on tenants: 42501 unless the caller bypasses RLS (service_role).';
REVOKE EXECUTE ON FUNCTION dialer._guard_tenant_status() FROM PUBLIC;
CREATE TRIGGER dialer_guard_tenant_status BEFORE UPDATE OF status ON dialer.tenants
  FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status)
  EXECUTE FUNCTION dialer._guard_tenant_status();

-- Identifier claims by members are unverified and never route: verified_at is set only
-- by a caller that bypasses RLS (the operator, after checking the tenant controls the
-- number or address). A member may withdraw a verification (set it NULL), and changing
-- what an identifier is (kind, value, channel) withdraws it.
CREATE FUNCTION dialer._guard_identifier_verification()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  IF dialer._caller_bypasses_rls() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    -- Why silently: the column's default (now(), for the operator's own inserts) cannot
    -- be told apart from a value the member wrote; a member's insert is a claim.
    NEW.verified_at := NULL;
  ELSIF (NEW.kind, NEW.value, NEW.channel) IS DISTINCT FROM (OLD.kind, OLD.value, OLD.channel) THEN
    NEW.verified_at := NULL;
  ELSIF NEW.verified_at IS NOT NULL AND NEW.verified_at IS DISTINCT FROM OLD.verified_at THEN
    RAISE EXCEPTION 'only the service role verifies identifiers (identifier %)', OLD.id
      USING ERRCODE = '42501',
            DETAIL = 'A verified identifier routes incoming calls and mail to its tenant (dialer.resolve_tenant).',
            HINT = 'Ask the operator to verify that your tenant controls it.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION dialer._guard_identifier_verification() IS
  'BEFORE INSERT OR UPDATE trigger on tenant_identifiers: members'' identifiers are unverified '
  '(verified_at NULL) until a caller that bypasses RLS sets verified_at.';
REVOKE EXECUTE ON FUNCTION dialer._guard_identifier_verification() FROM PUBLIC;
-- Named to fire after dialer_normalize_identifier (BEFORE triggers fire in name order),
-- so a value rewritten in another format is compared canonical.
CREATE TRIGGER dialer_verification_guard BEFORE INSERT OR UPDATE ON dialer.tenant_identifiers
  FOR EACH ROW EXECUTE FUNCTION dialer._guard_identifier_verification();
