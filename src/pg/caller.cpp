// Who is calling: dialer._caller_bypasses_rls(), asked by every queue function, the
// role checks and the row-level security policies (through dialer.user_tenant_ids).
//
// Why C: as SQL it read pg_roles (pg_authid and pg_db_role_setting, with their indexes)
// on every call, twice per claim + complete cycle; each such read opens and locks four
// more relations, and with many workers on few cores the lock manager's partition locks
// became a place where backends queue (docs/queue.md). The role cache answers the same
// question without opening a relation. Plain Postgres code: no C++ object, no Guard.
#include "pg/postgres_includes.hpp"

extern "C" {
#include "miscadmin.h"
#include "utils/acl.h"
}

DIALER_FUNCTION(dialer_caller_bypasses_rls)

// dialer._caller_bypasses_rls() returns boolean: whether the requesting role bypasses
// row-level security (a superuser, or BYPASSRLS: service_role). The requesting role is
// the one SET ROLE chose (PostgREST's SET LOCAL ROLE), else the login; not the current
// user, which inside a SECURITY DEFINER function is its owner.
Datum dialer_caller_bypasses_rls(PG_FUNCTION_ARGS) {
  Oid role = GetCurrentRoleId();  // InvalidOid when no SET ROLE is in force
  if (!OidIsValid(role)) role = GetSessionUserId();
  // has_bypassrls_privilege answers true for superusers too, and false for a role that
  // no longer exists (as the pg_roles lookup did).
  PG_RETURN_BOOL(has_bypassrls_privilege(role));
}
