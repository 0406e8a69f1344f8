-- What every key, check and foreign-key constraint of the extension's tables (and the check of
-- domain dialer.phone_e164) guarantees, as COMMENT ON CONSTRAINT, and which lookups the indexes
-- behind primary keys and unique constraints serve, as COMMENT ON INDEX (\d+, \di+ and
-- pg_description show them; sql/extension.sql expects none without one). One file after every
-- table exists, for the reason sql_src/97_trigger_comments.sql gives: an upgrade script runs the
-- same statements. A new constraint gets its comment here.

-- Domain dialer.phone_e164.
COMMENT ON CONSTRAINT phone_e164_canonical ON DOMAIN dialer.phone_e164 IS
  'A value is already the canonical E.164 text of a valid number (dialer.phone_e164_check); '
  'convert input with dialer.e164 first.';

-- Table dialer.tenants.
COMMENT ON CONSTRAINT tenants_pkey ON dialer.tenants IS
  'A tenant, by id; every other row belongs to one.';
COMMENT ON INDEX dialer.tenants_pkey IS
  'A tenant by id (the tenant_id foreign keys of every tenant table, the scheduler reading its defaults).';
COMMENT ON CONSTRAINT tenants_slug_key ON dialer.tenants IS
  'No two tenants share a slug (create_tenant answers 23505 when it is taken); a tenant may have none.';
COMMENT ON INDEX dialer.tenants_slug_key IS 'A tenant by its readable slug.';
COMMENT ON CONSTRAINT tenants_name_check ON dialer.tenants IS 'A tenant''s name is not empty or blank.';
COMMENT ON CONSTRAINT tenants_slug_check ON dialer.tenants IS
  'A slug is 1 to 63 lower-case letters, digits and hyphens, starting with a letter or a digit.';
COMMENT ON CONSTRAINT tenants_default_time_zone_check ON dialer.tenants IS
  'The default time zone is one the server knows (an IANA name such as America/New_York).';
COMMENT ON CONSTRAINT tenants_default_region_check ON dialer.tenants IS
  'The default region, when set, is two upper-case letters (an ISO 3166-1 alpha-2 code such as US).';
COMMENT ON CONSTRAINT tenants_retention_days_check ON dialer.tenants IS
  'retention_days, when set, is positive (NULL keeps conversations and messages for good).';
COMMENT ON CONSTRAINT tenants_settings_check ON dialer.tenants IS 'settings is a JSON object.';

-- Table dialer.tenant_members.
COMMENT ON CONSTRAINT tenant_members_pkey ON dialer.tenant_members IS
  'A user is a member of a tenant once, with one role.';
COMMENT ON INDEX dialer.tenant_members_pkey IS
  'A tenant''s members, and one user''s role in a given tenant (has_tenant_role, the queue''s caller check).';
COMMENT ON CONSTRAINT tenant_members_tenant_id_fkey ON dialer.tenant_members IS
  'A membership belongs to an existing tenant; deleting the tenant deletes its memberships.';

-- Table dialer.tenant_identifiers.
COMMENT ON CONSTRAINT tenant_identifiers_pkey ON dialer.tenant_identifiers IS
  'A tenant identifier, by tenant and id.';
COMMENT ON INDEX dialer.tenant_identifiers_pkey IS 'A tenant''s identifiers, and one of them by id.';
COMMENT ON CONSTRAINT tenant_identifiers_tenant_key ON dialer.tenant_identifiers IS
  'A tenant holds an identifier (kind, value, channel; a NULL channel compares equal) once. Unique per '
  'tenant only, so a member''s unverified claim cannot collide with, and so reveal, another tenant''s.';
COMMENT ON INDEX dialer.tenant_identifiers_tenant_key IS
  'A tenant''s identifiers by kind and value, then channel.';
COMMENT ON CONSTRAINT tenant_identifiers_channel_check ON dialer.tenant_identifiers IS
  'A channel, when set, is a lower-case name: a letter, then letters, digits or underscores (whatsapp).';
COMMENT ON CONSTRAINT tenant_identifiers_value_check ON dialer.tenant_identifiers IS
  'An identifier''s value is not empty.';
COMMENT ON CONSTRAINT tenant_identifiers_tenant_id_fkey ON dialer.tenant_identifiers IS
  'An identifier belongs to an existing tenant; deleting the tenant deletes its identifiers.';

-- Table dialer.contacts.
COMMENT ON CONSTRAINT contacts_pkey ON dialer.contacts IS 'A contact, by tenant and id.';
COMMENT ON INDEX dialer.contacts_pkey IS
  'A contact by tenant and id: row-level security''s path (the caller''s tenants, then the id) and '
  'conversations'' foreign key.';
COMMENT ON CONSTRAINT contacts_tenant_id_phone_key ON dialer.contacts IS
  'One contact per phone number per tenant (phone-less contacts are not compared): leads find their '
  'contact by number.';
COMMENT ON INDEX dialer.contacts_tenant_id_phone_key IS
  'The tenant''s contact for a number (leads'' foreign key, add_lead and imports reusing it, the '
  'scheduler reading its zone, windows and consent).';
COMMENT ON CONSTRAINT contacts_phone_e164 ON dialer.contacts IS
  'A phone, when set, is stored in E.164 form: + and 7 to 15 digits, the first not 0.';
COMMENT ON CONSTRAINT contacts_reachable ON dialer.contacts IS
  'A contact has a phone or an email: a contact without a phone (a chat user) needs an email.';
COMMENT ON CONSTRAINT contacts_time_zone_check ON dialer.contacts IS
  'The contact''s own time zone, when set, is one the server knows.';
COMMENT ON CONSTRAINT contacts_calling_windows_valid ON dialer.contacts IS
  'The contact''s calling windows, when set, are a valid calling-windows document (22023 naming the bad '
  'field''s JSON path).';
COMMENT ON CONSTRAINT contacts_custom_fields_check ON dialer.contacts IS 'custom_fields is a JSON object.';
COMMENT ON CONSTRAINT contacts_tenant_id_fkey ON dialer.contacts IS
  'A contact belongs to an existing tenant; deleting the tenant deletes its contacts.';

-- Table dialer.suppressions.
COMMENT ON CONSTRAINT suppressions_pkey ON dialer.suppressions IS
  'A tenant do-not-call entry, by tenant and id.';
COMMENT ON INDEX dialer.suppressions_pkey IS 'A tenant''s do-not-call entry by id.';
COMMENT ON CONSTRAINT suppressions_tenant_id_phone_key ON dialer.suppressions IS
  'A number is on a tenant''s do-not-call list once (a do_not_call outcome adds it only when it is not '
  'there yet).';
COMMENT ON INDEX dialer.suppressions_tenant_id_phone_key IS
  'Whether a number is on the tenant''s do-not-call list (the scheduler, imports, a call''s opt-out).';
COMMENT ON CONSTRAINT suppressions_phone_e164 ON dialer.suppressions IS
  'The suppressed phone is stored in E.164 form: + and 7 to 15 digits, the first not 0.';
COMMENT ON CONSTRAINT suppressions_reason_check ON dialer.suppressions IS
  'A suppression''s reason is not empty (do_not_call by default).';
COMMENT ON CONSTRAINT suppressions_tenant_id_fkey ON dialer.suppressions IS
  'A do-not-call entry belongs to an existing tenant; deleting the tenant deletes its list.';

-- Table dialer.global_suppressions.
COMMENT ON CONSTRAINT global_suppressions_pkey ON dialer.global_suppressions IS
  'A number is on the global do-not-call list once.';
COMMENT ON INDEX dialer.global_suppressions_pkey IS
  'Whether a number is on the global do-not-call list (the scheduler and imports, for every tenant).';
COMMENT ON CONSTRAINT global_suppressions_phone_e164 ON dialer.global_suppressions IS
  'The suppressed phone is stored in E.164 form: + and 7 to 15 digits, the first not 0.';
COMMENT ON CONSTRAINT global_suppressions_reason_check ON dialer.global_suppressions IS
  'A global suppression''s reason is not empty (do_not_call by default).';

-- Table dialer.campaigns.
COMMENT ON CONSTRAINT campaigns_pkey ON dialer.campaigns IS
  'A campaign, by tenant and id; its leads, calls, slots and counters refer to it within the tenant.';
COMMENT ON INDEX dialer.campaigns_pkey IS
  'A campaign by tenant and id (the scheduler''s inputs, and the foreign keys of its leads, calls, slots '
  'and counters).';
COMMENT ON CONSTRAINT campaigns_tenant_id_fkey ON dialer.campaigns IS
  'A campaign belongs to an existing tenant; deleting the tenant deletes its campaigns.';
COMMENT ON CONSTRAINT campaigns_name_check ON dialer.campaigns IS 'A campaign''s name is not empty or blank.';
COMMENT ON CONSTRAINT campaigns_provider_check ON dialer.campaigns IS
  'The provider, when set, is a lower-case name: a letter, then letters, digits or underscores (retell).';
COMMENT ON CONSTRAINT campaigns_caller_id_e164 ON dialer.campaigns IS
  'The caller id, when set, is in E.164 form: + and 7 to 15 digits, the first not 0.';
COMMENT ON CONSTRAINT campaigns_schedule_order ON dialer.campaigns IS
  'A campaign''s schedule ends after it starts (checked when both are set).';
COMMENT ON CONSTRAINT campaigns_time_zone_check ON dialer.campaigns IS
  'The campaign''s time zone, when set, is one the server knows.';
COMMENT ON CONSTRAINT campaigns_retry_policy_check ON dialer.campaigns IS 'retry_policy is a JSON object.';
COMMENT ON CONSTRAINT campaigns_retry_policy_valid ON dialer.campaigns IS
  'The retry policy is valid as the scheduler reads it (22023 naming the bad field''s JSON path).';
COMMENT ON CONSTRAINT campaigns_calling_windows_valid ON dialer.campaigns IS
  'The campaign''s calling windows, when set, are a valid calling-windows document (22023 naming the bad '
  'field''s JSON path).';
COMMENT ON CONSTRAINT campaigns_max_concurrent_calls_check ON dialer.campaigns IS
  'At least one call may be in flight: the campaign has max_concurrent_calls slot rows '
  '(dialer.max_concurrent_calls bounds it from above).';
COMMENT ON CONSTRAINT campaigns_metadata_check ON dialer.campaigns IS 'metadata is a JSON object.';
COMMENT ON CONSTRAINT campaigns_zone_precision_check ON dialer.campaigns IS
  'zone_precision is area_code or exchange: where a contact without a time zone may be, for calling hours.';

-- Table dialer.leads.
COMMENT ON CONSTRAINT leads_pkey ON dialer.leads IS 'A lead, by tenant and id.';
COMMENT ON INDEX dialer.leads_pkey IS
  'A lead by tenant and id (the scheduler''s inputs, and its calls'' foreign key).';
COMMENT ON CONSTRAINT leads_tenant_id_campaign_id_phone_key ON dialer.leads IS
  'The same person (canonical phone) is in a campaign once: adding it again is 23505 (HTTP 409).';
COMMENT ON INDEX dialer.leads_tenant_id_campaign_id_phone_key IS
  'A campaign''s lead for a number (imports reject a number the campaign already has).';
COMMENT ON CONSTRAINT leads_tenant_id_campaign_id_fkey ON dialer.leads IS
  'A lead belongs to a campaign of its own tenant; deleting the campaign deletes its leads.';
COMMENT ON CONSTRAINT leads_tenant_id_phone_fkey ON dialer.leads IS
  'A lead''s contact is the tenant''s contact with its phone, so a phone-less contact is never a lead; a '
  'corrected number follows into the leads, and deleting the contact deletes them.';

-- Domains of leads' and calls' columns (sql_src/21_model.sql says why domains).
COMMENT ON CONSTRAINT e164_format_check ON DOMAIN dialer.e164_format IS
  'E.164 form: + and 7 to 15 digits, the first not 0.';
COMMENT ON CONSTRAINT provider_name_check ON DOMAIN dialer.provider_name IS
  'A lower-case name: a letter, then letters, digits or underscores (retell).';
COMMENT ON CONSTRAINT attempt_number_check ON DOMAIN dialer.attempt_number IS 'Attempts are numbered from 1.';
COMMENT ON CONSTRAINT non_negative_integer_check ON DOMAIN dialer.non_negative_integer IS 'Not negative.';
COMMENT ON CONSTRAINT call_cost_check ON DOMAIN dialer.call_cost IS 'Not negative and not NaN.';
COMMENT ON CONSTRAINT json_object_check ON DOMAIN dialer.json_object IS 'A JSON object.';

-- Table dialer.calls.
COMMENT ON CONSTRAINT calls_pkey ON dialer.calls IS 'A call, by tenant and id.';
COMMENT ON INDEX dialer.calls_pkey IS
  'A call by tenant and id (row-level security''s path, and the foreign keys of conversations and '
  'escalations).';
COMMENT ON CONSTRAINT calls_tenant_id_idempotency_key_key ON dialer.calls IS
  'Each call of a tenant has its own idempotency key, the key sent to the provider so a retried dispatch '
  'is not placed twice.';
COMMENT ON INDEX dialer.calls_tenant_id_idempotency_key_key IS
  'A tenant''s call by the idempotency key it was dispatched with.';
COMMENT ON CONSTRAINT calls_tenant_id_fkey ON dialer.calls IS
  'A call belongs to an existing tenant; deleting the tenant deletes its calls.';
COMMENT ON CONSTRAINT calls_tenant_id_campaign_id_fkey ON dialer.calls IS
  'A call''s campaign, when set, is a campaign of the same tenant; deleting the campaign deletes its calls.';
COMMENT ON CONSTRAINT calls_tenant_id_lead_id_fkey ON dialer.calls IS
  'A call''s lead, when set, is a lead of the same tenant; deleting the lead deletes its calls.';
COMMENT ON CONSTRAINT calls_outbound_has_lead ON dialer.calls IS
  'An outbound call names its campaign and its lead; only an inbound call may lack them.';
COMMENT ON CONSTRAINT calls_time_order ON dialer.calls IS
  'A call is not answered or ended before it started (checked where those times are set).';

-- Table dialer.conversations.
COMMENT ON CONSTRAINT conversations_pkey ON dialer.conversations IS 'A conversation, by tenant and id.';
COMMENT ON INDEX dialer.conversations_pkey IS
  'A conversation by tenant and id (its messages'' and escalations'' foreign keys, retention''s deletes).';
COMMENT ON CONSTRAINT conversations_tenant_id_session_id_key ON dialer.conversations IS
  'A client session key names at most one conversation of the tenant (conversations without one are not '
  'compared).';
COMMENT ON INDEX dialer.conversations_tenant_id_session_id_key IS
  'A tenant''s conversation by client session key.';
COMMENT ON CONSTRAINT conversations_tenant_id_fkey ON dialer.conversations IS
  'A conversation belongs to an existing tenant; deleting the tenant deletes its conversations.';
COMMENT ON CONSTRAINT conversations_tenant_id_contact_id_fkey ON dialer.conversations IS
  'A conversation''s contact, when set, is a contact of the same tenant; deleting the contact keeps the '
  'conversation and clears contact_id.';
COMMENT ON CONSTRAINT conversations_tenant_id_call_id_fkey ON dialer.conversations IS
  'A conversation''s call, when set, is a call of the same tenant; deleting the call keeps the '
  'conversation and clears call_id.';
COMMENT ON CONSTRAINT conversations_channel_check ON dialer.conversations IS
  'The channel, when set, is a lower-case name: a letter, then letters, digits or underscores (whatsapp).';
COMMENT ON CONSTRAINT conversations_duration_seconds_check ON dialer.conversations IS
  'A conversation''s duration is not negative.';
COMMENT ON CONSTRAINT conversations_time_order ON dialer.conversations IS
  'A conversation does not end before it started.';
COMMENT ON CONSTRAINT conversations_metadata_check ON dialer.conversations IS 'metadata is a JSON object.';

-- Table dialer.messages.
COMMENT ON CONSTRAINT messages_pkey ON dialer.messages IS 'A message, by tenant and id.';
COMMENT ON INDEX dialer.messages_pkey IS 'A message by tenant and id (retention''s batched deletes).';
COMMENT ON CONSTRAINT messages_tenant_id_conversation_id_fkey ON dialer.messages IS
  'A message belongs to a conversation of the same tenant; deleting the conversation deletes its messages.';
COMMENT ON CONSTRAINT messages_metadata_check ON dialer.messages IS 'metadata is a JSON object.';

-- Table dialer.escalations.
COMMENT ON CONSTRAINT escalations_pkey ON dialer.escalations IS 'An escalation, by tenant and id.';
COMMENT ON INDEX dialer.escalations_pkey IS 'An escalation by tenant and id.';
COMMENT ON CONSTRAINT escalations_tenant_id_fkey ON dialer.escalations IS
  'An escalation belongs to an existing tenant; deleting the tenant deletes its escalations.';
COMMENT ON CONSTRAINT escalations_tenant_id_conversation_id_fkey ON dialer.escalations IS
  'An escalation''s conversation, when set, is one of the same tenant; deleting it clears conversation_id, '
  'so a ticket outlives the conversation retention purges.';
COMMENT ON CONSTRAINT escalations_tenant_id_call_id_fkey ON dialer.escalations IS
  'An escalation''s call, when set, is a call of the same tenant; deleting the call keeps the escalation '
  'and clears call_id.';
COMMENT ON CONSTRAINT escalations_issue_type_check ON dialer.escalations IS
  'An escalation''s issue type is not empty or blank.';

-- Table dialer.api_grants.
COMMENT ON CONSTRAINT api_grants_pkey ON dialer.api_grants IS
  'A function is registered for an API role once.';
COMMENT ON INDEX dialer.api_grants_pkey IS 'The registered grants by function, then role.';
COMMENT ON CONSTRAINT api_grants_grantee_check ON dialer.api_grants IS
  'Functions are granted to authenticated or service_role only: anon is never granted anything.';

-- Table dialer.rule_packs.
COMMENT ON CONSTRAINT rule_packs_pkey ON dialer.rule_packs IS
  'A rule pack, by the name campaigns use in rule_packs.';
COMMENT ON INDEX dialer.rule_packs_pkey IS
  'A rule pack by name (the foreign keys of its rules and area codes, campaigns'' rule_packs checked '
  'against it).';
COMMENT ON CONSTRAINT rule_packs_name_check ON dialer.rule_packs IS
  'A pack name is 1 to 63 characters: a lower-case letter, then lower-case letters, digits or underscores '
  '(us_fl).';
COMMENT ON CONSTRAINT rule_packs_title_check ON dialer.rule_packs IS 'A pack''s title is not empty.';
COMMENT ON CONSTRAINT rule_packs_country_check ON dialer.rule_packs IS
  'The country is two upper-case letters (an ISO 3166-1 alpha-2 code such as US).';
COMMENT ON CONSTRAINT rule_packs_default_scope_check ON dialer.rule_packs IS
  'default_scope is country, area_codes or none: which numbers get the pack when their campaign names no '
  'packs.';

-- Table dialer.rule_pack_rules.
COMMENT ON CONSTRAINT rule_pack_rules_pkey ON dialer.rule_pack_rules IS
  'A pack states a rule with the same applies_to and figures once.';
COMMENT ON INDEX dialer.rule_pack_rules_pkey IS
  'A rule pack''s rules, by pack name (loading each pack''s rules).';
COMMENT ON CONSTRAINT rule_pack_rules_rule_pack_fkey ON dialer.rule_pack_rules IS
  'A rule belongs to an existing pack; renaming the pack carries its rules along, deleting it deletes them.';
COMMENT ON CONSTRAINT rule_pack_rules_source_check ON dialer.rule_pack_rules IS
  'A rule''s legal source contains a digit: it cites an article or section number.';
COMMENT ON CONSTRAINT rule_pack_rules_valid ON dialer.rule_pack_rules IS
  'The rule, applies_to and figures are well formed as the planner reads them (22023 naming the bad field).';

-- Table dialer.rule_pack_area_codes.
COMMENT ON CONSTRAINT rule_pack_area_codes_pkey ON dialer.rule_pack_area_codes IS
  'A pack covers an area code once.';
COMMENT ON INDEX dialer.rule_pack_area_codes_pkey IS
  'The packs covering an area code (dialer.default_rule_packs for a NANP number).';
COMMENT ON CONSTRAINT rule_pack_area_codes_rule_pack_fkey ON dialer.rule_pack_area_codes IS
  'An area code row belongs to an existing pack; renaming the pack carries it along, deleting the pack '
  'deletes it.';
COMMENT ON CONSTRAINT rule_pack_area_codes_area_code_check ON dialer.rule_pack_area_codes IS
  'An area code is three digits, the first 2 to 9 (a NANP area code).';

-- Table dialer.outcome_classes.
COMMENT ON CONSTRAINT outcome_classes_pkey ON dialer.outcome_classes IS 'An outcome class, by name.';
COMMENT ON INDEX dialer.outcome_classes_pkey IS
  'An outcome class by name (the foreign keys of provider and tenant mappings, the flags a call''s class '
  'is read for).';
COMMENT ON CONSTRAINT outcome_classes_outcome_class_check ON dialer.outcome_classes IS
  'A class name is lower-case letters and underscores, starting with a letter.';
COMMENT ON CONSTRAINT outcome_classes_lead_status_check ON dialer.outcome_classes IS
  'What a lead becomes after a call of the class is retry or a final lead status: completed, converted, '
  'refused, do_not_call, invalid or failed.';

-- Table dialer.provider_outcomes.
COMMENT ON CONSTRAINT provider_outcomes_pkey ON dialer.provider_outcomes IS
  'A provider''s raw outcome maps to one class.';
COMMENT ON INDEX dialer.provider_outcomes_pkey IS
  'A provider''s global mappings by raw outcome (dialer.map_outcome''s exact matches and prefix rows).';
COMMENT ON CONSTRAINT provider_outcomes_provider_check ON dialer.provider_outcomes IS
  'A provider is a lower-case name (a letter, then letters, digits or underscores), as dialer.map_outcome '
  'looks it up.';
COMMENT ON CONSTRAINT provider_outcomes_outcome_class_fkey ON dialer.provider_outcomes IS
  'A raw outcome maps to an existing outcome class; a class still mapped cannot be deleted or renamed.';

-- Table dialer.tenant_outcome_mappings.
COMMENT ON CONSTRAINT tenant_outcome_mappings_pkey ON dialer.tenant_outcome_mappings IS
  'A tenant maps a provider''s raw outcome to one class.';
COMMENT ON INDEX dialer.tenant_outcome_mappings_pkey IS
  'A tenant''s mappings of a provider by raw outcome (dialer.map_outcome, before the global ones).';
COMMENT ON CONSTRAINT tenant_outcome_mappings_provider_check ON dialer.tenant_outcome_mappings IS
  'A provider is a lower-case name (a letter, then letters, digits or underscores), as dialer.map_outcome '
  'looks it up.';
COMMENT ON CONSTRAINT tenant_outcome_mappings_outcome_class_fkey ON dialer.tenant_outcome_mappings IS
  'A tenant''s raw outcome maps to an existing outcome class; a class still mapped cannot be deleted or '
  'renamed.';
COMMENT ON CONSTRAINT tenant_outcome_mappings_tenant_id_fkey ON dialer.tenant_outcome_mappings IS
  'A mapping belongs to an existing tenant; deleting the tenant deletes its mappings.';

-- Table dialer.campaign_slots.
COMMENT ON CONSTRAINT campaign_slots_pkey ON dialer.campaign_slots IS
  'A campaign has each slot once: the number of slot rows is what keeps its calls in flight within '
  'max_concurrent_calls.';
COMMENT ON INDEX dialer.campaign_slots_pkey IS
  'A campaign''s slots in order (a claim''s search for free ones, and freeing a call''s slot by number).';
COMMENT ON CONSTRAINT campaign_slots_slot_check ON dialer.campaign_slots IS 'Slots are numbered from 1.';
COMMENT ON CONSTRAINT campaign_slots_tenant_id_campaign_id_fkey ON dialer.campaign_slots IS
  'A slot belongs to a campaign of the same tenant; deleting the campaign deletes its slots.';

-- Table dialer.stats_outcome_slots.
COMMENT ON CONSTRAINT stats_outcome_slots_pkey ON dialer.stats_outcome_slots IS
  'An outcome class has one element in the by-class counter vectors.';
COMMENT ON INDEX dialer.stats_outcome_slots_pkey IS 'The vector slot of an outcome class.';
COMMENT ON CONSTRAINT stats_outcome_slots_slot_key ON dialer.stats_outcome_slots IS
  'No two outcome classes share a slot; slots are never reused, so kept vectors stay valid.';
COMMENT ON INDEX dialer.stats_outcome_slots_slot_key IS 'The outcome class a vector slot counts.';
COMMENT ON CONSTRAINT stats_outcome_slots_slot_check ON dialer.stats_outcome_slots IS
  'Class slots start at 3: slot 1 counts calls without a class yet, slot 2 calls whose class is not in '
  'dialer.outcome_classes.';

-- Table dialer.campaign_call_stats.
COMMENT ON CONSTRAINT campaign_call_stats_pkey ON dialer.campaign_call_stats IS
  'A campaign has one call counter row per shard.';
COMMENT ON INDEX dialer.campaign_call_stats_pkey IS
  'A campaign''s counter row of one shard (the triggers'' writes) and all its shards (readers sum them).';
COMMENT ON CONSTRAINT campaign_call_stats_tenant_id_campaign_id_fkey ON dialer.campaign_call_stats IS
  'Counters belong to a campaign of the same tenant; deleting the campaign deletes them.';

-- Table dialer.campaign_call_buckets.
COMMENT ON CONSTRAINT campaign_call_buckets_pkey ON dialer.campaign_call_buckets IS
  'A campaign has one counter row per granularity, bucket start and shard.';
COMMENT ON INDEX dialer.campaign_call_buckets_pkey IS
  'A campaign''s buckets of one granularity over a time range (time series, rolling abandon-rate windows).';
COMMENT ON CONSTRAINT campaign_call_buckets_granularity_check ON dialer.campaign_call_buckets IS
  'A bucket is a UTC hour or a UTC day.';
COMMENT ON CONSTRAINT campaign_call_buckets_tenant_id_campaign_id_fkey ON dialer.campaign_call_buckets IS
  'Buckets belong to a campaign of the same tenant; deleting the campaign deletes them.';

-- Table dialer.campaign_lead_stats.
COMMENT ON CONSTRAINT campaign_lead_stats_pkey ON dialer.campaign_lead_stats IS
  'A campaign has one lead counter row per shard.';
COMMENT ON INDEX dialer.campaign_lead_stats_pkey IS
  'A campaign''s lead counters of one shard (the triggers'' writes) and of all shards (readers sum them).';
COMMENT ON CONSTRAINT campaign_lead_stats_tenant_id_campaign_id_fkey ON dialer.campaign_lead_stats IS
  'Lead counters belong to a campaign of the same tenant; deleting the campaign deletes them.';

-- Table dialer.lead_first_contacts.
COMMENT ON CONSTRAINT lead_first_contacts_pkey ON dialer.lead_first_contacts IS
  'A lead has one first-contact row in its campaign.';
COMMENT ON INDEX dialer.lead_first_contacts_pkey IS
  'A lead''s first-contact row, which the statistics triggers lock or create when its contact calls change.';
COMMENT ON CONSTRAINT lead_first_contacts_tenant_id_campaign_id_fkey ON dialer.lead_first_contacts IS
  'A row belongs to a campaign of the same tenant; deleting the campaign deletes it. No foreign key to '
  'leads: a deleted lead''s cascade must still find the row.';
