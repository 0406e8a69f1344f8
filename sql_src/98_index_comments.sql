-- What each index the extension creates itself (CREATE INDEX, not a key constraint's) is
-- for, as COMMENT ON INDEX (\di+ shows it; sql/extension.sql expects none without one). One
-- file after every index exists, for the reason sql_src/97_trigger_comments.sql gives: the
-- 0.7.0 -> 0.8.0 upgrade runs the same statements. A new index gets its comment here.

-- Tenancy.
COMMENT ON INDEX dialer.tenant_members_user_idx IS
  'A user''s memberships, read by every row-level security check (tenant and role included).';
COMMENT ON INDEX dialer.tenant_identifiers_route_idx IS
  'Routes an incoming number or address to the one tenant whose claim was verified.';

-- Lookups by id alone (workers, webhooks, service_role), without the tenant.
COMMENT ON INDEX dialer.campaigns_id_idx IS 'Campaigns by id alone, without the tenant.';
COMMENT ON INDEX dialer.leads_id_idx IS 'Leads by id alone, without the tenant.';
COMMENT ON INDEX dialer.calls_id_idx IS 'Calls by id alone (complete_call, webhooks), without the tenant.';
COMMENT ON INDEX dialer.calls_provider_call_idx IS
  'A provider''s call id names at most one call of the tenant, so a webhook naming it finds one call: '
  'a tenant''s call by provider and the provider''s own call id (calls without one are not indexed).';
COMMENT ON INDEX dialer.conversations_id_idx IS 'Conversations by id alone, without the tenant.';

-- Leads.
COMMENT ON INDEX dialer.leads_contact_idx IS
  'A number''s leads in every campaign of the tenant (re-planning after a call, a contact or a do-not-call change).';
COMMENT ON INDEX dialer.leads_queue_idx IS
  'The queue: a campaign''s due leads, highest priority and never attempted first (claim_calls).';
COMMENT ON INDEX dialer.leads_busy_idx IS
  'A campaign''s leads in progress or held (with leads_waiting_idx: whether any lead still needs work).';
COMMENT ON INDEX dialer.leads_waiting_idx IS
  'A campaign''s waiting leads by next attempt (campaign_stats counts those not due yet).';

-- Calls.
COMMENT ON INDEX dialer.calls_campaign_idx IS 'A campaign''s calls by creation time (listings, retention, statistics rebuilds).';
COMMENT ON INDEX dialer.calls_lead_idx IS 'A lead''s calls by attempt (the scheduler counts the last outcome''s class).';
COMMENT ON INDEX dialer.calls_phone_idx IS
  'A number''s calls by claim time, read by caps, the minimum gap and cool-downs.';
COMMENT ON INDEX dialer.calls_one_in_flight_idx IS
  'At most one call in flight per lead, enforced by the database (the predicate is dialer.call_in_flight).';
COMMENT ON INDEX dialer.calls_lease_idx IS
  'Calls in flight without a slot by lease expiry (the reaper; claimed calls it finds through their slots).';

-- Conversations, messages, escalations.
COMMENT ON INDEX dialer.conversations_user_idx IS 'A user''s own conversations, newest first (the policy column and the listing order).';
COMMENT ON INDEX dialer.conversations_contact_idx IS 'A contact''s conversations.';
COMMENT ON INDEX dialer.conversations_call_idx IS 'The conversations of a call.';
COMMENT ON INDEX dialer.conversations_age_idx IS 'A tenant''s conversations by age (retention).';
COMMENT ON INDEX dialer.messages_conversation_idx IS 'A conversation''s messages in order.';
COMMENT ON INDEX dialer.escalations_conversation_idx IS 'The escalations of a conversation.';
COMMENT ON INDEX dialer.escalations_call_idx IS 'The escalations of a call.';
COMMENT ON INDEX dialer.escalations_queue_idx IS 'A tenant''s escalations by status, oldest first (the escalation queue).';

-- Outcomes.
COMMENT ON INDEX dialer.tenant_outcome_mappings_class_idx IS
  'Tenant mappings by outcome class (the foreign key to outcome_classes, checked on class changes).';
