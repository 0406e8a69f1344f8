-- Identity and tenancy: who is calling (the JWT sub), which tenants they belong to and
-- with which role, creating a tenant, resolving the tenant of an incoming identifier,
-- and adding one contact to a campaign.

CREATE FUNCTION dialer.current_user_id()
RETURNS uuid
LANGUAGE plpgsql STABLE
SET search_path = ''
AS $$
BEGIN
  RETURN (
      SELECT CASE WHEN sub ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                  THEN sub::uuid END
        FROM (SELECT coalesce(
                nullif(pg_catalog.current_setting('request.jwt.claim.sub', true), ''),
                nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
              AS sub) AS claims);
END
$$;
COMMENT ON FUNCTION dialer.current_user_id() IS
  'The calling user''s id: the sub claim of request.jwt.claims (what auth.uid() reads); NULL when '
  'there are no claims, no sub, or a sub that is not a uuid.';
REVOKE EXECUTE ON FUNCTION dialer.current_user_id() FROM PUBLIC;

-- SECURITY DEFINER: policies on tenant_members would otherwise recurse into themselves.
CREATE FUNCTION dialer.user_tenant_ids(p_min_role dialer.member_role DEFAULT 'viewer')
RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN (
      SELECT coalesce(array_agg(m.tenant_id), '{}')
        FROM dialer.tenant_members m
       WHERE m.user_id = dialer.current_user_id() AND m.role >= p_min_role);
END
$$;
COMMENT ON FUNCTION dialer.user_tenant_ids(dialer.member_role) IS
  'The tenants the calling user belongs to with at least role p_min_role. Policies use it as '
  'tenant_id = ANY ((SELECT dialer.user_tenant_ids(...))) so it runs once per statement.';
REVOKE EXECUTE ON FUNCTION dialer.user_tenant_ids(dialer.member_role) FROM PUBLIC;

-- Why C (src/pg/caller.cpp): it runs in every queue call and RLS check; as SQL each run
-- read pg_roles, opening and locking four catalog relations. Why the role SET ROLE chose
-- and not current_user: inside a SECURITY DEFINER function current_user is the owner;
-- the role setting still names the requester (PostgREST's SET LOCAL ROLE), and the
-- login covers a direct connection.
CREATE FUNCTION dialer._caller_bypasses_rls()
RETURNS boolean
LANGUAGE c STABLE
AS 'MODULE_PATHNAME', 'dialer_caller_bypasses_rls';
COMMENT ON FUNCTION dialer._caller_bypasses_rls() IS
  'Whether the requesting role (SET ROLE, else the login) bypasses row-level security '
  '(service_role, superusers), even when asked from inside a SECURITY DEFINER function.';
REVOKE EXECUTE ON FUNCTION dialer._caller_bypasses_rls() FROM PUBLIC;

CREATE FUNCTION dialer.has_tenant_role(p_tenant_id uuid, p_min_role dialer.member_role DEFAULT 'viewer')
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN (
      SELECT dialer._caller_bypasses_rls()
          OR EXISTS (SELECT 1 FROM dialer.tenant_members m
                      WHERE m.tenant_id = p_tenant_id AND m.user_id = dialer.current_user_id()
                        AND m.role >= p_min_role));
END
$$;
COMMENT ON FUNCTION dialer.has_tenant_role(uuid, dialer.member_role) IS
  'Whether the caller may act on tenant p_tenant_id with at least role p_min_role: a member '
  'with that role, or a role that bypasses RLS (service_role). For SECURITY DEFINER RPCs that '
  'must check the requester.';
REVOKE EXECUTE ON FUNCTION dialer.has_tenant_role(uuid, dialer.member_role) FROM PUBLIC;

CREATE FUNCTION dialer.create_tenant(p_name text, p_slug text DEFAULT NULL)
RETURNS dialer.tenants
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = ''
AS $$
DECLARE
  v_user uuid := dialer.current_user_id();
  v_tenant dialer.tenants;
BEGIN
  IF v_user IS NULL THEN
    RAISE EXCEPTION 'creating a tenant needs a signed-in user'
      USING ERRCODE = '42501',
            DETAIL = 'The new tenant''s owner is the caller (the JWT sub claim), and there is none.',
            HINT = 'Call it with a user''s JWT, or insert into dialer.tenants as the service role.';
  END IF;
  INSERT INTO dialer.tenants (name, slug) VALUES (p_name, p_slug) RETURNING * INTO v_tenant;
  INSERT INTO dialer.tenant_members (tenant_id, user_id, role) VALUES (v_tenant.id, v_user, 'owner');
  RETURN v_tenant;
END
$$;
COMMENT ON FUNCTION dialer.create_tenant(text, text) IS
  'Creates a tenant owned by the calling user and returns it (42501 without a signed-in user; '
  '23505 when the slug is taken).';
REVOKE EXECUTE ON FUNCTION dialer.create_tenant(text, text) FROM PUBLIC;

CREATE FUNCTION dialer.resolve_tenant(identifier text, channel text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = ''
AS $$
BEGIN
  RETURN (
      WITH wanted (kind, value) AS (
        SELECT 'email'::dialer.identifier_kind, lower(btrim(resolve_tenant.identifier))
         WHERE resolve_tenant.identifier LIKE '%@%'
        UNION ALL
        SELECT 'phone', dialer._canonical_phone(resolve_tenant.identifier, false)
         WHERE resolve_tenant.identifier NOT LIKE '%@%'
        UNION ALL
        SELECT 'handle', btrim(resolve_tenant.identifier))
      SELECT i.tenant_id
        FROM dialer.tenant_identifiers i
        JOIN wanted w ON w.kind = i.kind AND w.value = i.value
       WHERE (i.channel = lower(btrim(resolve_tenant.channel)) OR i.channel IS NULL)
         -- An unverified claim never routes (dialer._guard_identifier_verification).
         AND i.verified_at IS NOT NULL
       ORDER BY i.channel IS NULL, i.kind = 'handle'
       LIMIT 1);
END
$$;
COMMENT ON FUNCTION dialer.resolve_tenant(text, text) IS
  'The tenant an incoming phone number (normalised to E.164), email address (lower-cased) or '
  'channel handle belongs to on a channel (whatsapp, voice, ...), or NULL. Only verified '
  'identifiers route (verified_at set by the operator); one registered for the exact channel '
  'wins over one registered for every channel.';
REVOKE EXECUTE ON FUNCTION dialer.resolve_tenant(text, text) FROM PUBLIC;

-- SECURITY INVOKER on purpose: the caller's own policies decide whether the campaign is
-- visible and whether they may add contacts and leads to it.
CREATE FUNCTION dialer.add_lead(
  p_campaign_id uuid,
  p_phone text,
  p_first_name text DEFAULT NULL,
  p_last_name text DEFAULT NULL,
  p_email text DEFAULT NULL,
  p_custom_fields jsonb DEFAULT '{}',
  p_priority integer DEFAULT 0)
RETURNS dialer.leads
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
DECLARE
  v_tenant uuid;
  v_region text;
  v_phone text;
  v_lead dialer.leads;
BEGIN
  SELECT c.tenant_id, t.default_region INTO v_tenant, v_region
    FROM dialer.campaigns c JOIN dialer.tenants t ON t.id = c.tenant_id WHERE c.id = p_campaign_id;
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'campaign % not found', p_campaign_id
      USING ERRCODE = 'PT404',
            DETAIL = 'No campaign with this id is visible to the caller.',
            HINT = 'Check the id, and that you are a member of the campaign''s tenant.';
  END IF;
  -- National-format input is read in the tenant's default region.
  v_phone := dialer._canonical_phone(p_phone, true, v_region);
  INSERT INTO dialer.contacts (tenant_id, phone, first_name, last_name, email)
  VALUES (v_tenant, v_phone, p_first_name, p_last_name, p_email)
  ON CONFLICT (tenant_id, phone) DO NOTHING;
  BEGIN
    INSERT INTO dialer.leads (tenant_id, campaign_id, phone, custom_fields, priority)
    VALUES (v_tenant, p_campaign_id, v_phone, coalesce(p_custom_fields, '{}'), p_priority)
    RETURNING * INTO v_lead;
  EXCEPTION WHEN unique_violation THEN
    RAISE EXCEPTION 'phone % is already in campaign %', v_phone, p_campaign_id
      USING ERRCODE = '23505',
            DETAIL = format('"%s" normalises to %s, which the campaign already has as a lead.',
                            p_phone, v_phone),
            HINT = 'Update the existing lead instead of adding it again.';
  END;
  RETURN v_lead;
END
$$;
COMMENT ON FUNCTION dialer.add_lead(uuid, text, text, text, text, jsonb, integer) IS
  'Adds one person to a campaign: normalises the phone to E.164, creates the tenant''s contact '
  'if it is new (an existing contact keeps its data), and inserts the lead. A phone already in '
  'the campaign is 23505 (HTTP 409); an unknown or invisible campaign is PT404.';
REVOKE EXECUTE ON FUNCTION dialer.add_lead(uuid, text, text, text, text, jsonb, integer) FROM PUBLIC;
