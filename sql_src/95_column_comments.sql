-- A comment on every column of the extension's tables and views that its defining file does not
-- comment, as COMMENT ON COLUMN: PostgREST publishes them as field descriptions in its OpenAPI
-- document and Supabase Studio shows them (sql/extension.sql expects no column without one). One
-- file after every table exists, because an upgrade script runs the same statements. A new column
-- gets its comment where it is defined, or here.

-- View dialer._stats_call_facts.
COMMENT ON COLUMN dialer._stats_call_facts.tenant_id IS 'The call''s tenant (calls.tenant_id).';
COMMENT ON COLUMN dialer._stats_call_facts.campaign_id IS
  'The call''s campaign (calls.campaign_id); calls without a campaign are not in the view.';
COMMENT ON COLUMN dialer._stats_call_facts.lead_id IS
  'The call''s lead (calls.lead_id), for the first-contact recount.';
COMMENT ON COLUMN dialer._stats_call_facts.attempt_number IS
  'The call''s attempt number for its lead (calls.attempt_number).';
COMMENT ON COLUMN dialer._stats_call_facts.duration_seconds IS
  'The call''s reported length in seconds (calls.duration_seconds); NULL when none was reported.';
COMMENT ON COLUMN dialer._stats_call_facts.cost IS
  'The call''s reported cost (calls.cost); NULL when none was reported.';
COMMENT ON COLUMN dialer._stats_call_facts.status IS 'The call''s status (calls.status).';
COMMENT ON COLUMN dialer._stats_call_facts.status_slot IS
  'The by_status element the call counts in: the position of '
  'its status in dialer.call_status (1 claimed ... 8 expired).';
COMMENT ON COLUMN dialer._stats_call_facts.class_slot IS
  'The by_class element the call counts in: 1 without an outcome class, 2 for a '
  'class dialer.stats_outcome_slots does not list, else the class''s slot there.';
COMMENT ON COLUMN dialer._stats_call_facts.attempt_slot IS
  'The by-attempt element the call counts in: its attempt number, 16 for 16 or more.';
COMMENT ON COLUMN dialer._stats_call_facts.talk_slot IS
  'The talk_histogram element: the talk-time bucket of duration_seconds '
  'plus 1 (dialer.talk_time_buckets()); NULL without a duration.';
COMMENT ON COLUMN dialer._stats_call_facts.local_hour_slot IS
  'The by-local-hour element: the hour (0-23) of the attempt time '
  'in calls.recipient_time_zone, plus 1; NULL without a zone.';
COMMENT ON COLUMN dialer._stats_call_facts.hour IS
  'Start of the UTC hour the attempt time (claimed_at, else '
  'started_at, else created_at) falls in: the call''s hourly bucket.';
COMMENT ON COLUMN dialer._stats_call_facts.is_answered IS
  'The call''s outcome class has the answered flag (false without a class).';
COMMENT ON COLUMN dialer._stats_call_facts.is_human IS
  'The call''s outcome class has the human flag (false without a class).';
COMMENT ON COLUMN dialer._stats_call_facts.is_machine IS
  'The call''s outcome class has the machine flag (false without a class).';
COMMENT ON COLUMN dialer._stats_call_facts.is_contact IS
  'The call''s outcome class has the contact flag (false without a class).';
COMMENT ON COLUMN dialer._stats_call_facts.is_conversion IS
  'The call''s outcome class has the conversion flag (false without a class).';
COMMENT ON COLUMN dialer._stats_call_facts.is_abandoned IS
  'The call''s outcome class has the abandoned flag (false without a class).';
COMMENT ON COLUMN dialer._stats_call_facts.is_unknown IS
  'The call''s outcome class has the unknown_result flag (false without a class).';
COMMENT ON COLUMN dialer._stats_call_facts.is_transport_error IS
  'The call''s outcome class has the transport_error flag (false without a class).';
COMMENT ON COLUMN dialer._stats_call_facts.is_in_flight IS
  'The call is in flight (dialer.call_in_flight: claimed, dialing, ringing or in_progress).';
COMMENT ON COLUMN dialer._stats_call_facts.is_attempt IS
  'The call counts as an attempt: not cancelled, and its class not flagged transport_error.';
COMMENT ON COLUMN dialer._stats_call_facts.is_finished IS
  'The attempt''s result is in: status completed, failed '
  'or expired, and its class not flagged transport_error.';
COMMENT ON COLUMN dialer._stats_call_facts.is_talk IS
  'The call counts in talk time: its class has the answered flag and it has a duration.';

-- Table dialer.api_grants.
COMMENT ON COLUMN dialer.api_grants.function IS
  'A dialer function (with its argument types) that dialer.grant_api_access() grants EXECUTE on.';
COMMENT ON COLUMN dialer.api_grants.grantee IS
  'The API role it is granted to: authenticated or service_role (anon is never granted anything).';

-- Table dialer.calls.
COMMENT ON COLUMN dialer.calls.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.calls.id IS
  'The call''s id (a random uuid): the call_id claim_calls returns and the worker functions take.';
COMMENT ON COLUMN dialer.calls.campaign_id IS
  'The campaign the call was made for; NULL only for an inbound call outside any campaign.';
COMMENT ON COLUMN dialer.calls.lead_id IS
  'The lead (a contact in the campaign) the call tried to reach; NULL only for an inbound call without one.';
COMMENT ON COLUMN dialer.calls.direction IS
  'outbound (we called the number: every call the queue claims) or inbound (the number called us).';
COMMENT ON COLUMN dialer.calls.status IS
  'The attempt''s state: in flight while claimed, dialing, ringing or in_progress; then completed, '
  'failed, cancelled (given back unplaced by release_call) or expired (its lease ran out).';
COMMENT ON COLUMN dialer.calls.attempt_number IS
  'Which attempt at the lead this is: 1 for the first call (claim_calls sets the lead''s attempts plus 1).';
COMMENT ON COLUMN dialer.calls.worker_id IS 'The worker that claimed the call (claim_calls'' p_worker_id).';
COMMENT ON COLUMN dialer.calls.claimed_at IS
  'When the call was claimed (claim_calls'' p_now); NULL for a call the queue did not claim.';
COMMENT ON COLUMN dialer.calls.provider IS
  'The voice provider (lower-case, e.g. retell, vapi, twilio): the campaign''s at the claim, replaced '
  'by complete_call''s p_provider (dialer when neither names one). It selects the outcome mapping.';
COMMENT ON COLUMN dialer.calls.provider_call_id IS
  'The provider''s own id of the call (p_provider_call_id of '
  'mark_call_dialing or complete_call); unique per tenant and provider.';
COMMENT ON COLUMN dialer.calls.started_at IS
  'When the call was dispatched to the provider (mark_call_dialing), else '
  'its claim time once completed; caps and gaps count the call from here.';
COMMENT ON COLUMN dialer.calls.answered_at IS
  'When the call was answered, as the worker reported it '
  '(complete_call''s p_answered_at); NULL if not reported.';
COMMENT ON COLUMN dialer.calls.ended_at IS
  'When the call ended: complete_call''s p_ended_at, else the moment it was '
  'completed; cool-downs after an abandoned call or a refusal run from here.';
COMMENT ON COLUMN dialer.calls.duration_seconds IS
  'The call''s length in seconds as reported (complete_call''s p_duration_seconds); '
  'statistics count it as talk time when the call was answered.';
COMMENT ON COLUMN dialer.calls.cost IS
  'What the call cost, as reported (complete_call''s p_cost, zero or more), '
  'in the currency the worker reports it in; pg_dialer only sums it.';
COMMENT ON COLUMN dialer.calls.recording_url IS
  'Where the call''s recording is, as reported (complete_call''s p_recording_url).';
COMMENT ON COLUMN dialer.calls.summary IS 'A summary of the call, as reported (complete_call''s p_summary).';
COMMENT ON COLUMN dialer.calls.notes IS
  'Free-text notes; release_call writes its reason here (p_reason, else ''released by <worker id>'').';
COMMENT ON COLUMN dialer.calls.metadata IS
  'Free-form JSON object for the application; complete_call adds '
  'late_report when a do_not_call arrives after the call left flight.';
COMMENT ON COLUMN dialer.calls.created_at IS
  'When the call row was inserted (for a claim: the wall clock just after its slot was taken).';
COMMENT ON COLUMN dialer.calls.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.campaign_call_buckets.
COMMENT ON COLUMN dialer.campaign_call_buckets.tenant_id IS
  'The tenant the counters belong to (row-level security filters on it).';
COMMENT ON COLUMN dialer.campaign_call_buckets.campaign_id IS 'The campaign whose calls the bucket counts.';
COMMENT ON COLUMN dialer.campaign_call_buckets.granularity IS
  'hour or day: whether the row counts one UTC hour or one UTC day.';
COMMENT ON COLUMN dialer.campaign_call_buckets.bucket_start IS
  'Start of the UTC hour or UTC day counted, by the calls'' '
  'attempt time (claimed_at, else started_at, else created_at).';
COMMENT ON COLUMN dialer.campaign_call_buckets.shard IS
  'Which counter shard of the bucket this row is (0-31, higher only beyond '
  '32 concurrent writers); only the sum over the shards means anything.';
COMMENT ON COLUMN dialer.campaign_call_buckets.attempts IS
  'Calls placed in the bucket: not cancelled and not of a transport_error class.';
COMMENT ON COLUMN dialer.campaign_call_buckets.finished IS
  'Attempts in the bucket whose result is in (status completed, failed or expired).';
COMMENT ON COLUMN dialer.campaign_call_buckets.answered IS
  'Calls in the bucket picked up by a person or a machine (class flag answered).';
COMMENT ON COLUMN dialer.campaign_call_buckets.human IS
  'Calls in the bucket answered by a live person (class flag human, abandoned calls included).';
COMMENT ON COLUMN dialer.campaign_call_buckets.machine IS
  'Calls in the bucket answered by a machine or voicemail (class flag machine).';
COMMENT ON COLUMN dialer.campaign_call_buckets.contacts IS
  'Calls in the bucket that count as a contact with the person (class flag contact).';
COMMENT ON COLUMN dialer.campaign_call_buckets.conversions IS
  'Calls in the bucket that reached the campaign''s goal (class flag conversion).';
COMMENT ON COLUMN dialer.campaign_call_buckets.abandoned IS
  'Live answers in the bucket the dialler dropped (class flag abandoned): the abandon rates'' numerator.';
COMMENT ON COLUMN dialer.campaign_call_buckets.talk_calls IS
  'Answered calls in the bucket that have a reported duration.';
COMMENT ON COLUMN dialer.campaign_call_buckets.talk_seconds IS
  'Seconds of talk in the bucket: the sum of duration_seconds over its talk_calls.';
COMMENT ON COLUMN dialer.campaign_call_buckets.cost IS 'Sum of the reported cost of the calls in the bucket.';

-- Table dialer.campaign_call_stats.
COMMENT ON COLUMN dialer.campaign_call_stats.tenant_id IS
  'The tenant the counters belong to (row-level security filters on it).';
COMMENT ON COLUMN dialer.campaign_call_stats.campaign_id IS 'The campaign whose calls the row counts.';
COMMENT ON COLUMN dialer.campaign_call_stats.shard IS
  'Which of the campaign''s counter shards this row is (0-31, higher only '
  'beyond 32 concurrent writers); sum the shards, one alone means nothing.';
COMMENT ON COLUMN dialer.campaign_call_stats.calls IS 'Call rows of the campaign, whatever their status.';
COMMENT ON COLUMN dialer.campaign_call_stats.attempts IS
  'Calls placed: not cancelled (a claim given back) and not of a transport_error class.';
COMMENT ON COLUMN dialer.campaign_call_stats.finished IS
  'Attempts whose result is in (status completed, failed or expired); calls in flight are not.';
COMMENT ON COLUMN dialer.campaign_call_stats.in_flight IS
  'Calls in flight now (claimed, dialing, ringing or in_progress).';
COMMENT ON COLUMN dialer.campaign_call_stats.answered IS
  'Calls of the campaign picked up by a person or a machine (class flag answered).';
COMMENT ON COLUMN dialer.campaign_call_stats.human IS
  'Calls of the campaign answered by a live person (class flag human, abandoned calls included).';
COMMENT ON COLUMN dialer.campaign_call_stats.machine IS
  'Calls of the campaign answered by a machine or voicemail (class flag machine).';
COMMENT ON COLUMN dialer.campaign_call_stats.contacts IS
  'Calls of the campaign that count as a contact with the person (class flag contact).';
COMMENT ON COLUMN dialer.campaign_call_stats.conversions IS
  'Calls of the campaign that reached its goal (class flag conversion).';
COMMENT ON COLUMN dialer.campaign_call_stats.abandoned IS
  'Live answers of the campaign the dialler dropped (class flag abandoned).';
COMMENT ON COLUMN dialer.campaign_call_stats.pre_dial_rejections IS
  'Calls of a transport_error class (the provider refused before dialling), counted apart from attempts.';
COMMENT ON COLUMN dialer.campaign_call_stats.unknown_results IS
  'Calls of a class flagged unknown_result (e.g. leases the reaper expired).';
COMMENT ON COLUMN dialer.campaign_call_stats.talk_calls IS
  'Answered calls of the campaign that have a reported duration.';
COMMENT ON COLUMN dialer.campaign_call_stats.talk_seconds IS
  'Seconds of talk: the sum of duration_seconds over the talk_calls.';
COMMENT ON COLUMN dialer.campaign_call_stats.completed_timed_calls IS
  'Calls with status completed that have a duration (the divisor of the mean completed duration).';
COMMENT ON COLUMN dialer.campaign_call_stats.completed_seconds IS
  'Sum of duration_seconds over the calls with status completed.';
COMMENT ON COLUMN dialer.campaign_call_stats.cost IS 'Sum of the reported cost of the campaign''s calls.';
COMMENT ON COLUMN dialer.campaign_call_stats.cost_calls IS 'Calls of the campaign with a reported cost.';
COMMENT ON COLUMN dialer.campaign_call_stats.by_status IS
  'Calls per status: element i counts the i-th dialer.call_status value (1 claimed ... 8 expired).';
COMMENT ON COLUMN dialer.campaign_call_stats.by_class IS
  'Calls per outcome class: element 1 counts calls without a class, 2 classes not in '
  'dialer.outcome_classes, the others the class of that slot in dialer.stats_outcome_slots.';
COMMENT ON COLUMN dialer.campaign_call_stats.talk_histogram IS
  'Talk calls per length: element i counts talk-time bucket i-1 (dialer.talk_time_buckets()).';
COMMENT ON COLUMN dialer.campaign_call_stats.finished_by_attempt IS
  'Finished attempts per attempt number: element n counts attempt n, element 16 attempts 16 and later.';
COMMENT ON COLUMN dialer.campaign_call_stats.contacts_by_attempt IS
  'Contact calls per attempt number: element n counts attempt n, element 16 attempts 16 and later.';
COMMENT ON COLUMN dialer.campaign_call_stats.conversions_by_attempt IS
  'Conversion calls per attempt number: element n counts attempt n, element 16 attempts 16 and later.';
COMMENT ON COLUMN dialer.campaign_call_stats.finished_by_local_hour IS
  'Finished attempts per hour of the attempt in the called person''s '
  'zone (calls.recipient_time_zone): element h+1 counts hour h.';
COMMENT ON COLUMN dialer.campaign_call_stats.answered_by_local_hour IS
  'Answered calls per hour of the attempt in the called person''s zone: element h+1 counts hour h.';
COMMENT ON COLUMN dialer.campaign_call_stats.contacts_by_local_hour IS
  'Contact calls per hour of the attempt in the called person''s zone: element h+1 counts hour h.';
COMMENT ON COLUMN dialer.campaign_call_stats.conversions_by_local_hour IS
  'Conversion calls per hour of the attempt in the called person''s zone: element h+1 counts hour h.';

-- Table dialer.campaign_lead_stats.
COMMENT ON COLUMN dialer.campaign_lead_stats.tenant_id IS
  'The tenant the counters belong to (row-level security filters on it).';
COMMENT ON COLUMN dialer.campaign_lead_stats.campaign_id IS 'The campaign whose leads the row counts.';
COMMENT ON COLUMN dialer.campaign_lead_stats.shard IS
  'Which lead counter shard of the campaign this row is (0-31, higher only '
  'beyond 32 concurrent writers); only the sum over the shards means anything.';
COMMENT ON COLUMN dialer.campaign_lead_stats.leads IS 'Leads of the campaign.';
COMMENT ON COLUMN dialer.campaign_lead_stats.attempts IS 'Sum of the leads'' attempts.';
COMMENT ON COLUMN dialer.campaign_lead_stats.contacted_leads IS 'Leads with at least one contact call.';
COMMENT ON COLUMN dialer.campaign_lead_stats.first_contact_attempts IS
  'Sum over the contacted leads of the attempt number of their first contact (for the mean).';
COMMENT ON COLUMN dialer.campaign_lead_stats.by_status IS
  'Leads per status: element i counts the i-th dialer.lead_status value (1 pending ... 11 cancelled).';
COMMENT ON COLUMN dialer.campaign_lead_stats.by_attempts IS
  'Leads per attempts made: element n+1 counts leads with n attempts, element 17 those with 16 or more.';
COMMENT ON COLUMN dialer.campaign_lead_stats.by_first_contact IS
  'Contacted leads per attempt number of their first contact: '
  'element n counts n, element 16 counts 16 or more.';

-- Table dialer.campaign_slots.
COMMENT ON COLUMN dialer.campaign_slots.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.campaign_slots.campaign_id IS 'The campaign whose concurrent calls the slot limits.';
COMMENT ON COLUMN dialer.campaign_slots.slot IS
  'The slot number, 1 to the campaign''s max_concurrent_calls '
  '(higher only while a call still holds it after the limit shrank).';
COMMENT ON COLUMN dialer.campaign_slots.call_id IS
  'The call in flight occupying the slot; NULL when the slot is free.';
COMMENT ON COLUMN dialer.campaign_slots.claimed_at IS
  'When the occupying call was claimed (its calls.claimed_at); NULL when the slot is free.';

-- Table dialer.campaigns.
COMMENT ON COLUMN dialer.campaigns.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.campaigns.id IS
  'The campaign''s id (a random uuid): the p_campaign_id of the queue and statistics functions.';
COMMENT ON COLUMN dialer.campaigns.name IS 'The campaign''s display name (not blank).';
COMMENT ON COLUMN dialer.campaigns.description IS
  'Free-text description for people; pg_dialer does not read it.';
COMMENT ON COLUMN dialer.campaigns.status IS
  'Lifecycle state: draft, scheduled, running, paused, completed or cancelled, moved by '
  'start_, pause_, resume_ and stop_campaign; only a running campaign hands out calls.';
COMMENT ON COLUMN dialer.campaigns.provider IS
  'The voice provider placing the calls (lower-case, e.g. retell, vapi, elevenlabs, '
  'twilio); copied to each claimed call, whose raw outcomes are mapped by it.';
COMMENT ON COLUMN dialer.campaigns.agent_id IS
  'The provider''s id of the AI agent that speaks on the calls, for the worker; pg_dialer only stores it.';
COMMENT ON COLUMN dialer.campaigns.system_prompt IS
  'The AI agent''s system prompt, for the worker; pg_dialer only stores it.';
COMMENT ON COLUMN dialer.campaigns.script_template IS
  'The call script template, for the worker (leads.custom_fields '
  'hold per-lead data for the script); pg_dialer only stores it.';
COMMENT ON COLUMN dialer.campaigns.voice_id IS
  'The provider''s id of the voice the agent speaks with, for the worker; pg_dialer only stores it.';
COMMENT ON COLUMN dialer.campaigns.caller_id IS
  'Our E.164 number to show to the people called; copied to each claimed call (calls.caller_id).';
COMMENT ON COLUMN dialer.campaigns.schedule_start IS
  'No call is handed out before this moment; NULL: no start limit. '
  'A campaign started earlier is scheduled, and runs from then.';
COMMENT ON COLUMN dialer.campaigns.schedule_end IS
  'No call is handed out from this moment on; NULL: no end. Must be after schedule_start.';
COMMENT ON COLUMN dialer.campaigns.max_concurrent_calls IS
  'At most this many calls in flight at once (one dialer.campaign_slots '
  'row each; default 10, at most the dialer.max_concurrent_calls setting).';
COMMENT ON COLUMN dialer.campaigns.metadata IS
  'Free-form JSON object for the application; pg_dialer does not read it.';
COMMENT ON COLUMN dialer.campaigns.started_at IS
  'When the campaign first ran (start or resume, or the first claim of '
  'a due scheduled campaign; kept through pauses); NULL: it never ran.';
COMMENT ON COLUMN dialer.campaigns.completed_at IS
  'When the campaign finished: completed (no lead left to '
  'call) or cancelled (stop_campaign); NULL while open.';
COMMENT ON COLUMN dialer.campaigns.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.campaigns.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.contacts.
COMMENT ON COLUMN dialer.contacts.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.contacts.id IS 'The contact''s id (a random uuid); conversations refer to it.';
COMMENT ON COLUMN dialer.contacts.first_name IS 'The person''s first name; optional.';
COMMENT ON COLUMN dialer.contacts.last_name IS 'The person''s last name; optional.';
COMMENT ON COLUMN dialer.contacts.email IS
  'The person''s email address, as written; required when the contact has no phone.';
COMMENT ON COLUMN dialer.contacts.custom_fields IS
  'The person''s own data as a free-form JSON object (per-campaign data goes in leads.custom_fields).';
COMMENT ON COLUMN dialer.contacts.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.contacts.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.conversations.
COMMENT ON COLUMN dialer.conversations.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.conversations.id IS 'The conversation''s id (a random uuid).';
COMMENT ON COLUMN dialer.conversations.contact_id IS
  'The contact the agent spoke with; NULL when unknown or after the contact was deleted.';
COMMENT ON COLUMN dialer.conversations.call_id IS
  'The call the conversation took place on; NULL when not on a call, or after the call was deleted.';
COMMENT ON COLUMN dialer.conversations.channel IS
  'The channel it took place on (a lower-case name, e.g. voice, chat, whatsapp); NULL when not given.';
COMMENT ON COLUMN dialer.conversations.status IS 'active while the conversation goes on, ended after it.';
COMMENT ON COLUMN dialer.conversations.started_at IS
  'When the conversation started (default: when the row was inserted).';
COMMENT ON COLUMN dialer.conversations.ended_at IS
  'When the conversation ended; NULL while active. Retention '
  '(tenants.retention_days) counts from here, else from started_at.';
COMMENT ON COLUMN dialer.conversations.duration_seconds IS
  'The conversation''s length in seconds, as the application records it.';
COMMENT ON COLUMN dialer.conversations.transcript IS
  'The whole transcript as JSON, as the application records it (dialer.messages holds single messages).';
COMMENT ON COLUMN dialer.conversations.summary IS
  'A summary of the conversation, as the application records it.';
COMMENT ON COLUMN dialer.conversations.metadata IS 'Free-form JSON object for the application.';
COMMENT ON COLUMN dialer.conversations.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.conversations.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.escalations.
COMMENT ON COLUMN dialer.escalations.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.escalations.id IS 'The escalation''s id (a random uuid).';
COMMENT ON COLUMN dialer.escalations.conversation_id IS
  'The conversation the request came from; NULL when none, '
  'or after retention purged it (the escalation stays).';
COMMENT ON COLUMN dialer.escalations.call_id IS
  'The call the request came from; NULL when none, or after the call was deleted.';
COMMENT ON COLUMN dialer.escalations.issue_type IS
  'What kind of request it is, as the application names it (e.g. refund, booking_change); not blank.';
COMMENT ON COLUMN dialer.escalations.original_request IS 'The person''s request, as they made it.';
COMMENT ON COLUMN dialer.escalations.status IS
  'pending, notified, in_progress or resolved: moves one step '
  'at a time (other moves are PT409), and resolved is final.';
COMMENT ON COLUMN dialer.escalations.conversation_context IS
  'What the human taking over needs to know of the conversation (free text).';
COMMENT ON COLUMN dialer.escalations.assigned_to IS
  'The user id of whoever handles the escalation, as the '
  'application sets it (not checked); NULL: unassigned.';
COMMENT ON COLUMN dialer.escalations.resolution IS 'How the request was resolved (free text).';
COMMENT ON COLUMN dialer.escalations.notified_at IS
  'When the escalation moved to notified: stamped with the transaction time then, unless already set.';
COMMENT ON COLUMN dialer.escalations.in_progress_at IS
  'When the escalation moved to in_progress: stamped with the transaction time then, unless already set.';
COMMENT ON COLUMN dialer.escalations.resolved_at IS
  'When the escalation moved to resolved: stamped with the transaction time then, unless already set.';
COMMENT ON COLUMN dialer.escalations.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.escalations.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.global_suppressions.
COMMENT ON COLUMN dialer.global_suppressions.phone IS
  'The number no tenant may call, in E.164 (normalised on write).';
COMMENT ON COLUMN dialer.global_suppressions.reason IS
  'Why the number is suppressed for everyone (default do_not_call).';
COMMENT ON COLUMN dialer.global_suppressions.source IS
  'Where the entry came from (a national registry, a legal hold, ...), free text; optional.';
COMMENT ON COLUMN dialer.global_suppressions.expires_at IS
  'When the global suppression ends; NULL: never. The number '
  'is not called while this is NULL or later than now.';
COMMENT ON COLUMN dialer.global_suppressions.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.global_suppressions.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.lead_first_contacts.
COMMENT ON COLUMN dialer.lead_first_contacts.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.lead_first_contacts.campaign_id IS 'The campaign of the lead''s calls.';
COMMENT ON COLUMN dialer.lead_first_contacts.lead_id IS 'The lead that was contacted.';
COMMENT ON COLUMN dialer.lead_first_contacts.attempt_number IS
  'The attempt number of the lead''s first contact: the '
  'lowest among its calls whose class has the contact flag.';

-- Table dialer.leads.
COMMENT ON COLUMN dialer.leads.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.leads.id IS 'The lead''s id (a random uuid), as claim_calls returns it.';
COMMENT ON COLUMN dialer.leads.campaign_id IS 'The campaign the lead belongs to.';
COMMENT ON COLUMN dialer.leads.status IS
  'Waiting: pending (never tried) or scheduled (due at next_attempt_at); '
  'in_progress (a call in flight); held (unknown result, awaits release_lead); or '
  'final (completed, converted, refused, do_not_call, invalid, failed, cancelled).';
COMMENT ON COLUMN dialer.leads.last_attempt_at IS
  'When the lead''s last attempt was claimed (claim_calls'' p_now); NULL: never attempted.';
COMMENT ON COLUMN dialer.leads.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.leads.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.messages.
COMMENT ON COLUMN dialer.messages.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.messages.id IS 'The message''s id (a random uuid).';
COMMENT ON COLUMN dialer.messages.conversation_id IS
  'The conversation the message belongs to (deleted with it).';
COMMENT ON COLUMN dialer.messages.role IS
  'Who wrote it: user (the person), assistant (the agent), system or tool.';
COMMENT ON COLUMN dialer.messages.content IS 'The message''s text.';
COMMENT ON COLUMN dialer.messages.created_at IS
  'When the message was stored (default: the inserting '
  'transaction''s start time); it orders a conversation''s messages.';
COMMENT ON COLUMN dialer.messages.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.outcome_classes.
COMMENT ON COLUMN dialer.outcome_classes.outcome_class IS
  'The class name (e.g. no_answer, voicemail, converted), '
  'as calls.outcome_class and retry policies name it.';
COMMENT ON COLUMN dialer.outcome_classes.answered IS 'The line was picked up, by a person or a machine.';
COMMENT ON COLUMN dialer.outcome_classes.human IS 'A live person answered.';
COMMENT ON COLUMN dialer.outcome_classes.machine IS 'An answering machine or voicemail answered.';
COMMENT ON COLUMN dialer.outcome_classes.contact IS 'The call counts as a contact with the person.';
COMMENT ON COLUMN dialer.outcome_classes.conversion IS 'The campaign''s goal was reached.';
COMMENT ON COLUMN dialer.outcome_classes.abandoned IS
  'A live answer the dialler dropped (counted in the TCPA and Ofcom abandon rates).';
COMMENT ON COLUMN dialer.outcome_classes.terminal IS
  'The lead is finished, never retried: it takes lead_status as its final status.';
COMMENT ON COLUMN dialer.outcome_classes.unknown_result IS
  'The result of the dispatch is unknown (e.g. a provider timeout after dialling).';
COMMENT ON COLUMN dialer.outcome_classes.transport_error IS
  'The call failed before reaching the network (provider or API error); '
  'statistics count it as a pre-dial rejection, not an attempt.';
COMMENT ON COLUMN dialer.outcome_classes.description IS 'What the class means, in a sentence.';

-- Table dialer.provider_outcomes.
COMMENT ON COLUMN dialer.provider_outcomes.provider IS
  'The provider the mapping is for (lower-case, e.g. retell, vapi, '
  'elevenlabs, twilio; dialer maps the class names to themselves).';
COMMENT ON COLUMN dialer.provider_outcomes.raw_outcome IS
  'A raw result as the provider reports it (matched case-sensitively), or its prefix when is_prefix.';
COMMENT ON COLUMN dialer.provider_outcomes.is_prefix IS
  'True: the row matches every raw outcome starting with '
  'raw_outcome (an exact row or a longer prefix wins).';
COMMENT ON COLUMN dialer.provider_outcomes.outcome_class IS
  'The outcome class the raw outcome maps to for every tenant.';

-- Table dialer.rule_pack_area_codes.
COMMENT ON COLUMN dialer.rule_pack_area_codes.rule_pack IS
  'The state rule pack applied by default to numbers of the area code.';
COMMENT ON COLUMN dialer.rule_pack_area_codes.area_code IS 'A three-digit NANP area code, e.g. 305.';

-- Table dialer.rule_pack_rules.
COMMENT ON COLUMN dialer.rule_pack_rules.rule_pack IS
  'The pack the rule belongs to (dialer.rule_packs.name).';

-- Table dialer.stats_outcome_slots.
COMMENT ON COLUMN dialer.stats_outcome_slots.outcome_class IS
  'An outcome class given a slot; the row is not removed with the class, so its slot is never reused.';
COMMENT ON COLUMN dialer.stats_outcome_slots.slot IS
  'The element of the by_class counter vectors that counts '
  'the class (3 and up: 1 is no class, 2 an unlisted one).';

-- Table dialer.suppressions.
COMMENT ON COLUMN dialer.suppressions.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.suppressions.id IS 'The suppression''s id (a random uuid).';
COMMENT ON COLUMN dialer.suppressions.phone IS
  'The number the tenant may not call, in E.164 (national numbers '
  'read in the tenant''s default_region); unique per tenant.';
COMMENT ON COLUMN dialer.suppressions.reason IS 'Why the tenant suppresses the number (default do_not_call).';
COMMENT ON COLUMN dialer.suppressions.source IS
  'Where the entry came from, free text; complete_call '
  'writes call:<call id> for an opt-out taken on a call.';
COMMENT ON COLUMN dialer.suppressions.expires_at IS
  'When the suppression ends; NULL: never. The number is not called while this is NULL or later than now.';
COMMENT ON COLUMN dialer.suppressions.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.suppressions.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.tenant_identifiers.
COMMENT ON COLUMN dialer.tenant_identifiers.tenant_id IS
  'The tenant the identifier routes to (row-level security filters on it).';
COMMENT ON COLUMN dialer.tenant_identifiers.id IS 'The identifier''s id (a random uuid).';
COMMENT ON COLUMN dialer.tenant_identifiers.kind IS
  'What the value is: phone (an E.164 number), email (an address) or handle (an opaque channel id).';
COMMENT ON COLUMN dialer.tenant_identifiers.value IS
  'The identifier, stored canonical by kind: E.164 phone, lower-case email, trimmed handle.';
COMMENT ON COLUMN dialer.tenant_identifiers.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.tenant_identifiers.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.tenant_members.
COMMENT ON COLUMN dialer.tenant_members.tenant_id IS 'The tenant the user is a member of.';
COMMENT ON COLUMN dialer.tenant_members.user_id IS
  'The user''s id: the JWT sub claim (what auth.uid() returns).';
COMMENT ON COLUMN dialer.tenant_members.role IS
  'The user''s role in the tenant, viewer < agent < admin '
  '< owner; each role may do what the lower ones may.';
COMMENT ON COLUMN dialer.tenant_members.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.tenant_members.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.tenant_outcome_mappings.
COMMENT ON COLUMN dialer.tenant_outcome_mappings.tenant_id IS
  'The tenant the row belongs to (row-level security filters on it).';
COMMENT ON COLUMN dialer.tenant_outcome_mappings.provider IS
  'The provider whose raw outcome the tenant maps (a lower-case name, e.g. retell).';
COMMENT ON COLUMN dialer.tenant_outcome_mappings.raw_outcome IS
  'The provider''s raw result the tenant classifies (matched '
  'case-sensitively), or its prefix when is_prefix.';
COMMENT ON COLUMN dialer.tenant_outcome_mappings.is_prefix IS
  'True: matches every raw outcome starting with raw_outcome; '
  'the tenant''s exact rows win over its prefixes.';
COMMENT ON COLUMN dialer.tenant_outcome_mappings.outcome_class IS
  'The outcome class for this tenant; wins over dialer.provider_outcomes.';
COMMENT ON COLUMN dialer.tenant_outcome_mappings.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.tenant_outcome_mappings.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';

-- Table dialer.tenants.
COMMENT ON COLUMN dialer.tenants.id IS 'The tenant''s id (a random uuid): the tenant_id of every other row.';
COMMENT ON COLUMN dialer.tenants.name IS 'The organisation''s display name (not blank).';
COMMENT ON COLUMN dialer.tenants.status IS
  'active or suspended (a suspended tenant''s campaigns are not started, '
  'resumed, claimed from or dialled); only the service role changes it.';
COMMENT ON COLUMN dialer.tenants.settings IS
  'Free-form JSON object of the tenant''s application '
  'settings (admins edit it); pg_dialer does not read it.';
COMMENT ON COLUMN dialer.tenants.created_at IS
  'When the row was inserted (default: the inserting transaction''s start time).';
COMMENT ON COLUMN dialer.tenants.updated_at IS
  'When the row last changed: stamped on every UPDATE by dialer.set_updated_at.';
