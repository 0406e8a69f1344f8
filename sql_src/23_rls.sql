-- Row-level security on every model table.
--
-- Who may do what (roles ordered viewer < agent < admin < owner):
--   * members of a tenant read its rows; the roles decide writes:
--       viewer  reads only;
--       agent   also writes calls, lead state, conversations, messages, escalations and
--               adds suppressions (a do-not-call request taken on a call);
--       admin   also manages campaigns, leads, contacts, suppressions, identifiers, members
--               and the tenant's settings;
--       owner   also manages owners and deletes the tenant.
--   * conversations (and their messages and escalations) are personal: a signed-in user
--     sees and writes the conversations whose user_id is theirs (the voice-conversation
--     design), agents and above see the tenant's; viewers see only their own.
--   * service_role bypasses RLS; anon has no grants and no policies.
--
-- Every identity lookup is written (SELECT dialer...()) so it runs once per statement as
-- an InitPlan, and every policy filters on tenant_id (the leading key column of every
-- table) or an indexed user_id. UPDATE policies admit every member in USING and check
-- the writer's role in WITH CHECK, so a viewer's update is refused with 42501 (HTTP 403)
-- instead of silently matching nothing.

ALTER TABLE dialer.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.tenant_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.tenant_identifiers ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.suppressions ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.global_suppressions ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.calls ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.conversations ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE dialer.escalations ENABLE ROW LEVEL SECURITY;

-- Policies name the role `authenticated` when it exists (Supabase, or the test
-- bootstrap); on a plain server without it they apply to PUBLIC, which holds no table
-- privileges, so they grant nothing there.
CREATE FUNCTION dialer._create_policy(
  p_table regclass, p_name text, p_command text, p_using text, p_check text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = ''
AS $$
BEGIN
  EXECUTE format('CREATE POLICY %I ON %s AS PERMISSIVE FOR %s TO %s%s%s',
    p_name, p_table, p_command,
    CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'authenticated')
         THEN 'authenticated' ELSE 'public' END,
    CASE WHEN p_using IS NULL THEN '' ELSE format(' USING (%s)', p_using) END,
    CASE WHEN p_check IS NULL THEN '' ELSE format(' WITH CHECK (%s)', p_check) END);
  EXECUTE format('COMMENT ON POLICY %I ON %s IS %L', p_name, p_table,
    format('Who may %s rows of %s: the pg_dialer tenancy rules (docs/model.md).',
           lower(p_command), p_table));
END
$$;
COMMENT ON FUNCTION dialer._create_policy(regclass, text, text, text, text) IS
  'Install-time helper: creates a permissive policy for the authenticated role (PUBLIC where '
  'that role does not exist).';
REVOKE EXECUTE ON FUNCTION dialer._create_policy(regclass, text, text, text, text) FROM PUBLIC;

DO $$
DECLARE
  member constant text := 'tenant_id = ANY ((SELECT dialer.user_tenant_ids())::uuid[])';
  agent constant text := 'tenant_id = ANY ((SELECT dialer.user_tenant_ids(''agent''))::uuid[])';
  admin constant text := 'tenant_id = ANY ((SELECT dialer.user_tenant_ids(''admin''))::uuid[])';
  owner constant text := 'tenant_id = ANY ((SELECT dialer.user_tenant_ids(''owner''))::uuid[])';
  me constant text := '(SELECT dialer.current_user_id())';
  -- A conversation row (or a row pointing at one) that belongs to the caller.
  own_conversation constant text :=
    'EXISTS (SELECT 1 FROM dialer.conversations c WHERE c.tenant_id = %2$I.tenant_id '
    'AND c.id = %2$I.conversation_id AND c.user_id = ' || me || ')';
  t text;
BEGIN
  -- tenants: keyed by id (its own tenant id); created through dialer.create_tenant().
  PERFORM dialer._create_policy('dialer.tenants', 'tenants_select', 'SELECT', replace(member, 'tenant_id =', 'id ='));
  PERFORM dialer._create_policy('dialer.tenants', 'tenants_update', 'UPDATE',
                                replace(member, 'tenant_id =', 'id ='), replace(admin, 'tenant_id =', 'id ='));
  PERFORM dialer._create_policy('dialer.tenants', 'tenants_delete', 'DELETE', replace(owner, 'tenant_id =', 'id ='));

  -- tenant_members: admins manage members, only owners touch owners; anyone may leave.
  PERFORM dialer._create_policy('dialer.tenant_members', 'tenant_members_select', 'SELECT', member);
  PERFORM dialer._create_policy('dialer.tenant_members', 'tenant_members_insert', 'INSERT', NULL,
    format('%s OR (%s AND role <> ''owner'')', owner, admin));
  PERFORM dialer._create_policy('dialer.tenant_members', 'tenant_members_update', 'UPDATE',
    format('%s OR (%s AND role <> ''owner'')', owner, member),
    format('%s OR (%s AND role <> ''owner'')', owner, admin));
  PERFORM dialer._create_policy('dialer.tenant_members', 'tenant_members_delete', 'DELETE',
    format('%s OR (%s AND role <> ''owner'') OR user_id = %s', owner, admin, me));

  -- Admin-managed tables: members read, admins write.
  FOREACH t IN ARRAY ARRAY['tenant_identifiers', 'contacts', 'campaigns'] LOOP
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_select', 'SELECT', member);
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_insert', 'INSERT', NULL, admin);
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_update', 'UPDATE', member, admin);
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_delete', 'DELETE', admin);
  END LOOP;

  -- suppressions: agents record do-not-call requests; admins edit and lift them.
  PERFORM dialer._create_policy('dialer.suppressions', 'suppressions_select', 'SELECT', member);
  PERFORM dialer._create_policy('dialer.suppressions', 'suppressions_insert', 'INSERT', NULL, agent);
  PERFORM dialer._create_policy('dialer.suppressions', 'suppressions_update', 'UPDATE', member, admin);
  PERFORM dialer._create_policy('dialer.suppressions', 'suppressions_delete', 'DELETE', admin);

  -- leads: admins add and remove them, agents move their dialling state.
  PERFORM dialer._create_policy('dialer.leads', 'leads_select', 'SELECT', member);
  PERFORM dialer._create_policy('dialer.leads', 'leads_insert', 'INSERT', NULL, admin);
  PERFORM dialer._create_policy('dialer.leads', 'leads_update', 'UPDATE', member, agent);
  PERFORM dialer._create_policy('dialer.leads', 'leads_delete', 'DELETE', admin);

  -- calls: agents place and complete them.
  PERFORM dialer._create_policy('dialer.calls', 'calls_select', 'SELECT', member);
  PERFORM dialer._create_policy('dialer.calls', 'calls_insert', 'INSERT', NULL, agent);
  PERFORM dialer._create_policy('dialer.calls', 'calls_update', 'UPDATE', member, agent);
  PERFORM dialer._create_policy('dialer.calls', 'calls_delete', 'DELETE', admin);

  -- conversations: the user's own (a member may open one in the tenant), or agents'.
  PERFORM dialer._create_policy('dialer.conversations', 'conversations_select', 'SELECT',
    format('user_id = %s OR %s', me, agent));
  PERFORM dialer._create_policy('dialer.conversations', 'conversations_insert', 'INSERT', NULL,
    format('(user_id = %s AND %s) OR %s', me, member, agent));
  PERFORM dialer._create_policy('dialer.conversations', 'conversations_update', 'UPDATE',
    format('user_id = %s OR %s', me, agent), format('(user_id = %s AND %s) OR %s', me, member, agent));
  PERFORM dialer._create_policy('dialer.conversations', 'conversations_delete', 'DELETE', admin);

  -- messages and escalations follow their conversation; only agents edit them.
  FOREACH t IN ARRAY ARRAY['messages', 'escalations'] LOOP
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_select', 'SELECT',
      format('%1$s OR ' || own_conversation, agent, t));
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_insert', 'INSERT', NULL,
      format('%1$s OR ' || own_conversation, agent, t));
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_update', 'UPDATE',
      format('%1$s OR ' || own_conversation, agent, t), agent);
    PERFORM dialer._create_policy(('dialer.' || t)::regclass, t || '_delete', 'DELETE', admin);
  END LOOP;
  -- global_suppressions: no policy; only roles that bypass RLS (service_role) use it.
END
$$;
