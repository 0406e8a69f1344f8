export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  dialer: {
    Tables: {
      api_grants: {
        Row: {
          function: unknown
          grantee: unknown
        }
        Insert: {
          function: unknown
          grantee: unknown
        }
        Update: {
          function?: unknown
          grantee?: unknown
        }
        Relationships: []
      }
      calls: {
        Row: {
          answered_at: string | null
          attempt_number: number
          caller_id: string | null
          campaign_id: string | null
          claimed_at: string | null
          cost: number | null
          created_at: string
          direction: Database["dialer"]["Enums"]["call_direction"]
          duration_seconds: number | null
          ended_at: string | null
          id: string
          idempotency_key: string
          lead_id: string | null
          lease_expires_at: string | null
          metadata: Json
          notes: string | null
          outcome_class: string | null
          phone: string
          provider: string | null
          provider_call_id: string | null
          provider_outcome: string | null
          recipient_time_zone: string | null
          recording_url: string | null
          slot: number | null
          started_at: string | null
          status: Database["dialer"]["Enums"]["call_status"]
          summary: string | null
          tenant_id: string
          transcript: Json | null
          updated_at: string
          worker_id: string | null
        }
        Insert: {
          answered_at?: string | null
          attempt_number?: number
          caller_id?: string | null
          campaign_id?: string | null
          claimed_at?: string | null
          cost?: number | null
          created_at?: string
          direction?: Database["dialer"]["Enums"]["call_direction"]
          duration_seconds?: number | null
          ended_at?: string | null
          id?: string
          idempotency_key?: string
          lead_id?: string | null
          lease_expires_at?: string | null
          metadata?: Json
          notes?: string | null
          outcome_class?: string | null
          phone: string
          provider?: string | null
          provider_call_id?: string | null
          provider_outcome?: string | null
          recipient_time_zone?: string | null
          recording_url?: string | null
          slot?: number | null
          started_at?: string | null
          status?: Database["dialer"]["Enums"]["call_status"]
          summary?: string | null
          tenant_id: string
          transcript?: Json | null
          updated_at?: string
          worker_id?: string | null
        }
        Update: {
          answered_at?: string | null
          attempt_number?: number
          caller_id?: string | null
          campaign_id?: string | null
          claimed_at?: string | null
          cost?: number | null
          created_at?: string
          direction?: Database["dialer"]["Enums"]["call_direction"]
          duration_seconds?: number | null
          ended_at?: string | null
          id?: string
          idempotency_key?: string
          lead_id?: string | null
          lease_expires_at?: string | null
          metadata?: Json
          notes?: string | null
          outcome_class?: string | null
          phone?: string
          provider?: string | null
          provider_call_id?: string | null
          provider_outcome?: string | null
          recipient_time_zone?: string | null
          recording_url?: string | null
          slot?: number | null
          started_at?: string | null
          status?: Database["dialer"]["Enums"]["call_status"]
          summary?: string | null
          tenant_id?: string
          transcript?: Json | null
          updated_at?: string
          worker_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "calls_tenant_id_campaign_id_fkey"
            columns: ["tenant_id", "campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["tenant_id", "id"]
          },
          {
            foreignKeyName: "calls_tenant_id_fkey"
            columns: ["tenant_id"]
            isOneToOne: false
            referencedRelation: "tenants"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "calls_tenant_id_lead_id_fkey"
            columns: ["tenant_id", "lead_id"]
            isOneToOne: false
            referencedRelation: "leads"
            referencedColumns: ["tenant_id", "id"]
          },
        ]
      }
      campaign_call_buckets: {
        Row: {
          abandoned: number
          answered: number
          attempts: number
          bucket_start: string
          campaign_id: string
          contacts: number
          conversions: number
          cost: number
          finished: number
          granularity: string
          human: number
          machine: number
          shard: number
          talk_calls: number
          talk_seconds: number
          tenant_id: string
        }
        Insert: {
          abandoned?: number
          answered?: number
          attempts?: number
          bucket_start: string
          campaign_id: string
          contacts?: number
          conversions?: number
          cost?: number
          finished?: number
          granularity: string
          human?: number
          machine?: number
          shard: number
          talk_calls?: number
          talk_seconds?: number
          tenant_id: string
        }
        Update: {
          abandoned?: number
          answered?: number
          attempts?: number
          bucket_start?: string
          campaign_id?: string
          contacts?: number
          conversions?: number
          cost?: number
          finished?: number
          granularity?: string
          human?: number
          machine?: number
          shard?: number
          talk_calls?: number
          talk_seconds?: number
          tenant_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "campaign_call_buckets_tenant_id_campaign_id_fkey"
            columns: ["tenant_id", "campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["tenant_id", "id"]
          },
        ]
      }
      campaign_call_stats: {
        Row: {
          abandoned: number
          answered: number
          answered_by_local_hour: number[]
          attempts: number
          by_class: number[]
          by_status: number[]
          calls: number
          campaign_id: string
          completed_seconds: number
          completed_timed_calls: number
          contacts: number
          contacts_by_attempt: number[]
          contacts_by_local_hour: number[]
          conversions: number
          conversions_by_attempt: number[]
          conversions_by_local_hour: number[]
          cost: number
          cost_calls: number
          finished: number
          finished_by_attempt: number[]
          finished_by_local_hour: number[]
          human: number
          in_flight: number
          machine: number
          pre_dial_rejections: number
          shard: number
          talk_calls: number
          talk_histogram: number[]
          talk_seconds: number
          tenant_id: string
          unknown_results: number
        }
        Insert: {
          abandoned?: number
          answered?: number
          answered_by_local_hour?: number[]
          attempts?: number
          by_class?: number[]
          by_status?: number[]
          calls?: number
          campaign_id: string
          completed_seconds?: number
          completed_timed_calls?: number
          contacts?: number
          contacts_by_attempt?: number[]
          contacts_by_local_hour?: number[]
          conversions?: number
          conversions_by_attempt?: number[]
          conversions_by_local_hour?: number[]
          cost?: number
          cost_calls?: number
          finished?: number
          finished_by_attempt?: number[]
          finished_by_local_hour?: number[]
          human?: number
          in_flight?: number
          machine?: number
          pre_dial_rejections?: number
          shard: number
          talk_calls?: number
          talk_histogram?: number[]
          talk_seconds?: number
          tenant_id: string
          unknown_results?: number
        }
        Update: {
          abandoned?: number
          answered?: number
          answered_by_local_hour?: number[]
          attempts?: number
          by_class?: number[]
          by_status?: number[]
          calls?: number
          campaign_id?: string
          completed_seconds?: number
          completed_timed_calls?: number
          contacts?: number
          contacts_by_attempt?: number[]
          contacts_by_local_hour?: number[]
          conversions?: number
          conversions_by_attempt?: number[]
          conversions_by_local_hour?: number[]
          cost?: number
          cost_calls?: number
          finished?: number
          finished_by_attempt?: number[]
          finished_by_local_hour?: number[]
          human?: number
          in_flight?: number
          machine?: number
          pre_dial_rejections?: number
          shard?: number
          talk_calls?: number
          talk_histogram?: number[]
          talk_seconds?: number
          tenant_id?: string
          unknown_results?: number
        }
        Relationships: [
          {
            foreignKeyName: "campaign_call_stats_tenant_id_campaign_id_fkey"
            columns: ["tenant_id", "campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["tenant_id", "id"]
          },
        ]
      }
      campaign_lead_stats: {
        Row: {
          attempts: number
          by_attempts: number[]
          by_first_contact: number[]
          by_status: number[]
          campaign_id: string
          contacted_leads: number
          first_contact_attempts: number
          leads: number
          shard: number
          tenant_id: string
        }
        Insert: {
          attempts?: number
          by_attempts?: number[]
          by_first_contact?: number[]
          by_status?: number[]
          campaign_id: string
          contacted_leads?: number
          first_contact_attempts?: number
          leads?: number
          shard: number
          tenant_id: string
        }
        Update: {
          attempts?: number
          by_attempts?: number[]
          by_first_contact?: number[]
          by_status?: number[]
          campaign_id?: string
          contacted_leads?: number
          first_contact_attempts?: number
          leads?: number
          shard?: number
          tenant_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "campaign_lead_stats_tenant_id_campaign_id_fkey"
            columns: ["tenant_id", "campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["tenant_id", "id"]
          },
        ]
      }
      campaign_slots: {
        Row: {
          call_id: string | null
          campaign_id: string
          claimed_at: string | null
          slot: number
          tenant_id: string
        }
        Insert: {
          call_id?: string | null
          campaign_id: string
          claimed_at?: string | null
          slot: number
          tenant_id: string
        }
        Update: {
          call_id?: string | null
          campaign_id?: string
          claimed_at?: string | null
          slot?: number
          tenant_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "campaign_slots_tenant_id_campaign_id_fkey"
            columns: ["tenant_id", "campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["tenant_id", "id"]
          },
        ]
      }
      campaigns: {
        Row: {
          agent_id: string | null
          caller_id: string | null
          calling_windows: Json | null
          completed_at: string | null
          created_at: string
          description: string | null
          id: string
          max_concurrent_calls: number
          metadata: Json
          name: string
          provider: string | null
          retry_policy: Json
          rule_packs: string[]
          schedule_end: string | null
          schedule_start: string | null
          script_template: string | null
          started_at: string | null
          status: Database["dialer"]["Enums"]["campaign_status"]
          status_changed_at: string | null
          status_changed_by: string | null
          system_prompt: string | null
          tenant_id: string
          time_zone: string | null
          updated_at: string
          uses_ai_voice: boolean
          voice_id: string | null
          zone_precision: string
        }
        Insert: {
          agent_id?: string | null
          caller_id?: string | null
          calling_windows?: Json | null
          completed_at?: string | null
          created_at?: string
          description?: string | null
          id?: string
          max_concurrent_calls?: number
          metadata?: Json
          name: string
          provider?: string | null
          retry_policy?: Json
          rule_packs?: string[]
          schedule_end?: string | null
          schedule_start?: string | null
          script_template?: string | null
          started_at?: string | null
          status?: Database["dialer"]["Enums"]["campaign_status"]
          status_changed_at?: string | null
          status_changed_by?: string | null
          system_prompt?: string | null
          tenant_id: string
          time_zone?: string | null
          updated_at?: string
          uses_ai_voice?: boolean
          voice_id?: string | null
          zone_precision?: string
        }
        Update: {
          agent_id?: string | null
          caller_id?: string | null
          calling_windows?: Json | null
          completed_at?: string | null
          created_at?: string
          description?: string | null
          id?: string
          max_concurrent_calls?: number
          metadata?: Json
          name?: string
          provider?: string | null
          retry_policy?: Json
          rule_packs?: string[]
          schedule_end?: string | null
          schedule_start?: string | null
          script_template?: string | null
          started_at?: string | null
          status?: Database["dialer"]["Enums"]["campaign_status"]
          status_changed_at?: string | null
          status_changed_by?: string | null
          system_prompt?: string | null
          tenant_id?: string
          time_zone?: string | null
          updated_at?: string
          uses_ai_voice?: boolean
          voice_id?: string | null
          zone_precision?: string
        }
        Relationships: [
          {
            foreignKeyName: "campaigns_tenant_id_fkey"
            columns: ["tenant_id"]
            isOneToOne: false
            referencedRelation: "tenants"
            referencedColumns: ["id"]
          },
        ]
      }
      contacts: {
        Row: {
          calling_windows: Json | null
          consent_ai_voice_at: string | null
          consent_revoked_at: string | null
          consent_source: string | null
          created_at: string
          custom_fields: Json
          email: string | null
          first_name: string | null
          id: string
          last_name: string | null
          phone: string | null
          tenant_id: string
          time_zone: string | null
          updated_at: string
        }
        Insert: {
          calling_windows?: Json | null
          consent_ai_voice_at?: string | null
          consent_revoked_at?: string | null
          consent_source?: string | null
          created_at?: string
          custom_fields?: Json
          email?: string | null
          first_name?: string | null
          id?: string
          last_name?: string | null
          phone?: string | null
          tenant_id: string
          time_zone?: string | null
          updated_at?: string
        }
        Update: {
          calling_windows?: Json | null
          consent_ai_voice_at?: string | null
          consent_revoked_at?: string | null
          consent_source?: string | null
          created_at?: string
          custom_fields?: Json
          email?: string | null
          first_name?: string | null
          id?: string
          last_name?: string | null
          phone?: string | null
          tenant_id?: string
          time_zone?: string | null
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "contacts_tenant_id_fkey"
            columns: ["tenant_id"]
            isOneToOne: false
            referencedRelation: "tenants"
            referencedColumns: ["id"]
          },
        ]
      }
      conversations: {
        Row: {
          agent_id: string | null
          call_id: string | null
          channel: string | null
          contact_id: string | null
          created_at: string
          duration_seconds: number | null
          ended_at: string | null
          id: string
          metadata: Json
          session_id: string | null
          started_at: string
          status: Database["dialer"]["Enums"]["conversation_status"]
          summary: string | null
          tenant_id: string
          transcript: Json | null
          updated_at: string
          user_id: string | null
        }
        Insert: {
          agent_id?: string | null
          call_id?: string | null
          channel?: string | null
          contact_id?: string | null
          created_at?: string
          duration_seconds?: number | null
          ended_at?: string | null
          id?: string
          metadata?: Json
          session_id?: string | null
          started_at?: string
          status?: Database["dialer"]["Enums"]["conversation_status"]
          summary?: string | null
          tenant_id: string
          transcript?: Json | null
          updated_at?: string
          user_id?: string | null
        }
        Update: {
          agent_id?: string | null
          call_id?: string | null
          channel?: string | null
          contact_id?: string | null
          created_at?: string
          duration_seconds?: number | null
          ended_at?: string | null
          id?: string
          metadata?: Json
          session_id?: string | null
          started_at?: string
          status?: Database["dialer"]["Enums"]["conversation_status"]
          summary?: string | null
          tenant_id?: string
          transcript?: Json | null
          updated_at?: string
          user_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "conversations_tenant_id_call_id_fkey"
            columns: ["tenant_id", "call_id"]
            isOneToOne: false
            referencedRelation: "calls"
            referencedColumns: ["tenant_id", "id"]
          },
          {
            foreignKeyName: "conversations_tenant_id_contact_id_fkey"
            columns: ["tenant_id", "contact_id"]
            isOneToOne: false
            referencedRelation: "contacts"
            referencedColumns: ["tenant_id", "id"]
          },
          {
            foreignKeyName: "conversations_tenant_id_fkey"
            columns: ["tenant_id"]
            isOneToOne: false
            referencedRelation: "tenants"
            referencedColumns: ["id"]
          },
        ]
      }
      escalations: {
        Row: {
          assigned_to: string | null
          call_id: string | null
          contact_info: Json | null
          conversation_context: string | null
          conversation_id: string | null
          created_at: string
          id: string
          in_progress_at: string | null
          issue_type: string
          notified_at: string | null
          original_request: string
          resolution: string | null
          resolved_at: string | null
          status: Database["dialer"]["Enums"]["escalation_status"]
          tenant_id: string
          updated_at: string
        }
        Insert: {
          assigned_to?: string | null
          call_id?: string | null
          contact_info?: Json | null
          conversation_context?: string | null
          conversation_id?: string | null
          created_at?: string
          id?: string
          in_progress_at?: string | null
          issue_type: string
          notified_at?: string | null
          original_request: string
          resolution?: string | null
          resolved_at?: string | null
          status?: Database["dialer"]["Enums"]["escalation_status"]
          tenant_id: string
          updated_at?: string
        }
        Update: {
          assigned_to?: string | null
          call_id?: string | null
          contact_info?: Json | null
          conversation_context?: string | null
          conversation_id?: string | null
          created_at?: string
          id?: string
          in_progress_at?: string | null
          issue_type?: string
          notified_at?: string | null
          original_request?: string
          resolution?: string | null
          resolved_at?: string | null
          status?: Database["dialer"]["Enums"]["escalation_status"]
          tenant_id?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "escalations_tenant_id_call_id_fkey"
            columns: ["tenant_id", "call_id"]
            isOneToOne: false
            referencedRelation: "calls"
            referencedColumns: ["tenant_id", "id"]
          },
          {
            foreignKeyName: "escalations_tenant_id_conversation_id_fkey"
            columns: ["tenant_id", "conversation_id"]
            isOneToOne: false
            referencedRelation: "conversations"
            referencedColumns: ["tenant_id", "id"]
          },
          {
            foreignKeyName: "escalations_tenant_id_fkey"
            columns: ["tenant_id"]
            isOneToOne: false
            referencedRelation: "tenants"
            referencedColumns: ["id"]
          },
        ]
      }
      global_suppressions: {
        Row: {
          created_at: string
          expires_at: string | null
          phone: string
          reason: string
          source: string | null
          updated_at: string
        }
        Insert: {
          created_at?: string
          expires_at?: string | null
          phone: string
          reason?: string
          source?: string | null
          updated_at?: string
        }
        Update: {
          created_at?: string
          expires_at?: string | null
          phone?: string
          reason?: string
          source?: string | null
          updated_at?: string
        }
        Relationships: []
      }
      lead_first_contacts: {
        Row: {
          attempt_number: number
          campaign_id: string
          lead_id: string
          tenant_id: string
        }
        Insert: {
          attempt_number: number
          campaign_id: string
          lead_id: string
          tenant_id: string
        }
        Update: {
          attempt_number?: number
          campaign_id?: string
          lead_id?: string
          tenant_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "lead_first_contacts_tenant_id_campaign_id_fkey"
            columns: ["tenant_id", "campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["tenant_id", "id"]
          },
        ]
      }
      leads: {
        Row: {
          attempts: number
          campaign_id: string
          created_at: string
          custom_fields: Json
          id: string
          last_attempt_at: string | null
          last_outcome_class: string | null
          next_attempt_at: string | null
          phone: string
          priority: number
          released_at: string | null
          status: Database["dialer"]["Enums"]["lead_status"]
          tenant_id: string
          updated_at: string
        }
        Insert: {
          attempts?: number
          campaign_id: string
          created_at?: string
          custom_fields?: Json
          id?: string
          last_attempt_at?: string | null
          last_outcome_class?: string | null
          next_attempt_at?: string | null
          phone: string
          priority?: number
          released_at?: string | null
          status?: Database["dialer"]["Enums"]["lead_status"]
          tenant_id: string
          updated_at?: string
        }
        Update: {
          attempts?: number
          campaign_id?: string
          created_at?: string
          custom_fields?: Json
          id?: string
          last_attempt_at?: string | null
          last_outcome_class?: string | null
          next_attempt_at?: string | null
          phone?: string
          priority?: number
          released_at?: string | null
          status?: Database["dialer"]["Enums"]["lead_status"]
          tenant_id?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "leads_tenant_id_campaign_id_fkey"
            columns: ["tenant_id", "campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["tenant_id", "id"]
          },
          {
            foreignKeyName: "leads_tenant_id_phone_fkey"
            columns: ["tenant_id", "phone"]
            isOneToOne: false
            referencedRelation: "contacts"
            referencedColumns: ["tenant_id", "phone"]
          },
        ]
      }
      messages: {
        Row: {
          content: string
          conversation_id: string
          created_at: string
          id: string
          metadata: Json
          role: Database["dialer"]["Enums"]["message_role"]
          tenant_id: string
          updated_at: string
        }
        Insert: {
          content: string
          conversation_id: string
          created_at?: string
          id?: string
          metadata?: Json
          role: Database["dialer"]["Enums"]["message_role"]
          tenant_id: string
          updated_at?: string
        }
        Update: {
          content?: string
          conversation_id?: string
          created_at?: string
          id?: string
          metadata?: Json
          role?: Database["dialer"]["Enums"]["message_role"]
          tenant_id?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "messages_tenant_id_conversation_id_fkey"
            columns: ["tenant_id", "conversation_id"]
            isOneToOne: false
            referencedRelation: "conversations"
            referencedColumns: ["tenant_id", "id"]
          },
        ]
      }
      outcome_classes: {
        Row: {
          abandoned: boolean
          answered: boolean
          contact: boolean
          conversion: boolean
          description: string
          human: boolean
          lead_status: string
          machine: boolean
          outcome_class: string
          terminal: boolean
          transport_error: boolean
          unknown_result: boolean
        }
        Insert: {
          abandoned: boolean
          answered: boolean
          contact: boolean
          conversion: boolean
          description: string
          human: boolean
          lead_status: string
          machine: boolean
          outcome_class: string
          terminal: boolean
          transport_error: boolean
          unknown_result: boolean
        }
        Update: {
          abandoned?: boolean
          answered?: boolean
          contact?: boolean
          conversion?: boolean
          description?: string
          human?: boolean
          lead_status?: string
          machine?: boolean
          outcome_class?: string
          terminal?: boolean
          transport_error?: boolean
          unknown_result?: boolean
        }
        Relationships: []
      }
      provider_outcomes: {
        Row: {
          is_prefix: boolean
          outcome_class: string
          provider: string
          raw_outcome: string
        }
        Insert: {
          is_prefix?: boolean
          outcome_class: string
          provider: string
          raw_outcome: string
        }
        Update: {
          is_prefix?: boolean
          outcome_class?: string
          provider?: string
          raw_outcome?: string
        }
        Relationships: [
          {
            foreignKeyName: "provider_outcomes_outcome_class_fkey"
            columns: ["outcome_class"]
            isOneToOne: false
            referencedRelation: "outcome_classes"
            referencedColumns: ["outcome_class"]
          },
        ]
      }
      rule_pack_area_codes: {
        Row: {
          area_code: string
          builtin: boolean
          rule_pack: string
        }
        Insert: {
          area_code: string
          builtin?: boolean
          rule_pack: string
        }
        Update: {
          area_code?: string
          builtin?: boolean
          rule_pack?: string
        }
        Relationships: [
          {
            foreignKeyName: "rule_pack_area_codes_rule_pack_fkey"
            columns: ["rule_pack"]
            isOneToOne: false
            referencedRelation: "rule_packs"
            referencedColumns: ["name"]
          },
        ]
      }
      rule_pack_rules: {
        Row: {
          applies_to: string
          builtin: boolean
          figures: Json
          rule: string
          rule_pack: string
          source: string
        }
        Insert: {
          applies_to?: string
          builtin?: boolean
          figures: Json
          rule: string
          rule_pack: string
          source: string
        }
        Update: {
          applies_to?: string
          builtin?: boolean
          figures?: Json
          rule?: string
          rule_pack?: string
          source?: string
        }
        Relationships: [
          {
            foreignKeyName: "rule_pack_rules_rule_pack_fkey"
            columns: ["rule_pack"]
            isOneToOne: false
            referencedRelation: "rule_packs"
            referencedColumns: ["name"]
          },
        ]
      }
      rule_packs: {
        Row: {
          builtin: boolean
          country: string
          default_scope: string
          name: string
          title: string
        }
        Insert: {
          builtin?: boolean
          country: string
          default_scope?: string
          name: string
          title: string
        }
        Update: {
          builtin?: boolean
          country?: string
          default_scope?: string
          name?: string
          title?: string
        }
        Relationships: []
      }
      stats_outcome_slots: {
        Row: {
          outcome_class: string
          slot: number
        }
        Insert: {
          outcome_class: string
          slot: number
        }
        Update: {
          outcome_class?: string
          slot?: number
        }
        Relationships: []
      }
      suppressions: {
        Row: {
          created_at: string
          expires_at: string | null
          id: string
          phone: string
          reason: string
          source: string | null
          tenant_id: string
          updated_at: string
        }
        Insert: {
          created_at?: string
          expires_at?: string | null
          id?: string
          phone: string
          reason?: string
          source?: string | null
          tenant_id: string
          updated_at?: string
        }
        Update: {
          created_at?: string
          expires_at?: string | null
          id?: string
          phone?: string
          reason?: string
          source?: string | null
          tenant_id?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "suppressions_tenant_id_fkey"
            columns: ["tenant_id"]
            isOneToOne: false
            referencedRelation: "tenants"
            referencedColumns: ["id"]
          },
        ]
      }
      tenant_identifiers: {
        Row: {
          channel: string | null
          created_at: string
          id: string
          kind: Database["dialer"]["Enums"]["identifier_kind"]
          tenant_id: string
          updated_at: string
          value: string
          verified_at: string | null
        }
        Insert: {
          channel?: string | null
          created_at?: string
          id?: string
          kind: Database["dialer"]["Enums"]["identifier_kind"]
          tenant_id: string
          updated_at?: string
          value: string
          verified_at?: string | null
        }
        Update: {
          channel?: string | null
          created_at?: string
          id?: string
          kind?: Database["dialer"]["Enums"]["identifier_kind"]
          tenant_id?: string
          updated_at?: string
          value?: string
          verified_at?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "tenant_identifiers_tenant_id_fkey"
            columns: ["tenant_id"]
            isOneToOne: false
            referencedRelation: "tenants"
            referencedColumns: ["id"]
          },
        ]
      }
      tenant_members: {
        Row: {
          created_at: string
          role: Database["dialer"]["Enums"]["member_role"]
          tenant_id: string
          updated_at: string
          user_id: string
        }
        Insert: {
          created_at?: string
          role?: Database["dialer"]["Enums"]["member_role"]
          tenant_id: string
          updated_at?: string
          user_id: string
        }
        Update: {
          created_at?: string
          role?: Database["dialer"]["Enums"]["member_role"]
          tenant_id?: string
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "tenant_members_tenant_id_fkey"
            columns: ["tenant_id"]
            isOneToOne: false
            referencedRelation: "tenants"
            referencedColumns: ["id"]
          },
        ]
      }
      tenant_outcome_mappings: {
        Row: {
          created_at: string
          is_prefix: boolean
          outcome_class: string
          provider: string
          raw_outcome: string
          tenant_id: string
          updated_at: string
        }
        Insert: {
          created_at?: string
          is_prefix?: boolean
          outcome_class: string
          provider: string
          raw_outcome: string
          tenant_id: string
          updated_at?: string
        }
        Update: {
          created_at?: string
          is_prefix?: boolean
          outcome_class?: string
          provider?: string
          raw_outcome?: string
          tenant_id?: string
          updated_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "tenant_outcome_mappings_outcome_class_fkey"
            columns: ["outcome_class"]
            isOneToOne: false
            referencedRelation: "outcome_classes"
            referencedColumns: ["outcome_class"]
          },
          {
            foreignKeyName: "tenant_outcome_mappings_tenant_id_fkey"
            columns: ["tenant_id"]
            isOneToOne: false
            referencedRelation: "tenants"
            referencedColumns: ["id"]
          },
        ]
      }
      tenants: {
        Row: {
          created_at: string
          default_region: string | null
          default_time_zone: string
          id: string
          name: string
          retention_days: number | null
          settings: Json
          slug: string | null
          status: Database["dialer"]["Enums"]["tenant_status"]
          updated_at: string
        }
        Insert: {
          created_at?: string
          default_region?: string | null
          default_time_zone?: string
          id?: string
          name: string
          retention_days?: number | null
          settings?: Json
          slug?: string | null
          status?: Database["dialer"]["Enums"]["tenant_status"]
          updated_at?: string
        }
        Update: {
          created_at?: string
          default_region?: string | null
          default_time_zone?: string
          id?: string
          name?: string
          retention_days?: number | null
          settings?: Json
          slug?: string | null
          status?: Database["dialer"]["Enums"]["tenant_status"]
          updated_at?: string
        }
        Relationships: []
      }
    }
    Views: {
      _stats_call_facts: {
        Row: {
          attempt_number: number | null
          attempt_slot: number | null
          campaign_id: string | null
          class_slot: number | null
          cost: number | null
          duration_seconds: number | null
          hour: string | null
          is_abandoned: boolean | null
          is_answered: boolean | null
          is_attempt: boolean | null
          is_contact: boolean | null
          is_conversion: boolean | null
          is_finished: boolean | null
          is_human: boolean | null
          is_in_flight: boolean | null
          is_machine: boolean | null
          is_talk: boolean | null
          is_transport_error: boolean | null
          is_unknown: boolean | null
          lead_id: string | null
          local_hour_slot: number | null
          status: Database["dialer"]["Enums"]["call_status"] | null
          status_slot: number | null
          talk_slot: number | null
          tenant_id: string | null
        }
        Relationships: [
          {
            foreignKeyName: "calls_tenant_id_campaign_id_fkey"
            columns: ["tenant_id", "campaign_id"]
            isOneToOne: false
            referencedRelation: "campaigns"
            referencedColumns: ["tenant_id", "id"]
          },
          {
            foreignKeyName: "calls_tenant_id_fkey"
            columns: ["tenant_id"]
            isOneToOne: false
            referencedRelation: "tenants"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "calls_tenant_id_lead_id_fkey"
            columns: ["tenant_id", "lead_id"]
            isOneToOne: false
            referencedRelation: "leads"
            referencedColumns: ["tenant_id", "id"]
          },
        ]
      }
    }
    Functions: {
      _advance_lead: {
        Args: {
          p_campaign_id: string
          p_class: string
          p_lead_id: string
          p_now: string
          p_tenant_id: string
        }
        Returns: Record<string, unknown>
      }
      _call_for_update: {
        Args: { p_call_id: string }
        Returns: {
          answered_at: string | null
          attempt_number: number
          caller_id: string | null
          campaign_id: string | null
          claimed_at: string | null
          cost: number | null
          created_at: string
          direction: Database["dialer"]["Enums"]["call_direction"]
          duration_seconds: number | null
          ended_at: string | null
          id: string
          idempotency_key: string
          lead_id: string | null
          lease_expires_at: string | null
          metadata: Json
          notes: string | null
          outcome_class: string | null
          phone: string
          provider: string | null
          provider_call_id: string | null
          provider_outcome: string | null
          recipient_time_zone: string | null
          recording_url: string | null
          slot: number | null
          started_at: string | null
          status: Database["dialer"]["Enums"]["call_status"]
          summary: string | null
          tenant_id: string
          transcript: Json | null
          updated_at: string
          worker_id: string | null
        }
        SetofOptions: {
          from: "*"
          to: "calls"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      _caller_bypasses_rls: { Args: never; Returns: boolean }
      _caller_role: {
        Args: { p_tenant_id: string }
        Returns: Database["dialer"]["Enums"]["member_role"]
      }
      _campaign_cancelled: {
        Args: { p_campaign_id: string; p_tenant_id: string }
        Returns: boolean
      }
      _campaign_claimable: {
        Args: {
          p_c: Database["dialer"]["Tables"]["campaigns"]["Row"]
          p_now: string
        }
        Returns: boolean
      }
      _campaign_for: {
        Args: {
          p_campaign_id: string
          p_min_role: Database["dialer"]["Enums"]["member_role"]
        }
        Returns: {
          agent_id: string | null
          caller_id: string | null
          calling_windows: Json | null
          completed_at: string | null
          created_at: string
          description: string | null
          id: string
          max_concurrent_calls: number
          metadata: Json
          name: string
          provider: string | null
          retry_policy: Json
          rule_packs: string[]
          schedule_end: string | null
          schedule_start: string | null
          script_template: string | null
          started_at: string | null
          status: Database["dialer"]["Enums"]["campaign_status"]
          status_changed_at: string | null
          status_changed_by: string | null
          system_prompt: string | null
          tenant_id: string
          time_zone: string | null
          updated_at: string
          uses_ai_voice: boolean
          voice_id: string | null
          zone_precision: string
        }
        SetofOptions: {
          from: "*"
          to: "campaigns"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      _campaign_gate_key: { Args: { p_campaign_id: string }; Returns: number }
      _campaign_move_target: {
        Args: {
          p_action: string
          p_from: Database["dialer"]["Enums"]["campaign_status"]
          p_starts_later: boolean
        }
        Returns: Database["dialer"]["Enums"]["campaign_status"]
      }
      _canonical_phone: {
        Args: { p_phone: string; p_raise?: boolean; p_region?: string }
        Returns: string
      }
      _check_caller_instant: {
        Args: { p_name: string; p_value: string }
        Returns: string
      }
      _check_dial_legal: {
        Args: {
          p_call: Database["dialer"]["Tables"]["calls"]["Row"]
          p_now: string
        }
        Returns: undefined
      }
      _complete_campaign_if_done: {
        Args: { p_campaign_id: string; p_now: string; p_tenant_id: string }
        Returns: Database["dialer"]["Enums"]["campaign_status"]
      }
      _create_policy: {
        Args: {
          p_check?: string
          p_command: string
          p_name: string
          p_table: unknown
          p_using: string
        }
        Returns: undefined
      }
      _decide: {
        Args: {
          p_inputs: Database["dialer"]["CompositeTypes"]["schedule_inputs"]
          p_now: string
        }
        Returns: Record<string, unknown>
      }
      _explain_inputs: {
        Args: {
          p_inputs: Database["dialer"]["CompositeTypes"]["schedule_inputs"]
          p_now: string
        }
        Returns: Json
      }
      _explain_lead: {
        Args: {
          p_last_outcome?: string
          p_lead_id: string
          p_now: string
          p_tenant_id: string
        }
        Returns: Json
      }
      _import_stage_create: { Args: never; Returns: undefined }
      _import_staged: {
        Args: {
          p_c: Database["dialer"]["Tables"]["campaigns"]["Row"]
          p_max_rejects: number
          p_region: string
        }
        Returns: Json
      }
      _import_target: {
        Args: { p_campaign_id: string; p_region: string }
        Returns: Record<string, unknown>
      }
      _in_extension_script: { Args: never; Returns: boolean }
      _install_builtin_rule_packs: {
        Args: { p_packs: Json }
        Returns: undefined
      }
      _invalid_arg: {
        Args: { p_name: string; p_rule: string; p_value: string }
        Returns: undefined
      }
      _is_time_zone: { Args: { p_zone: string }; Returns: boolean }
      _lead_schedule_inputs: {
        Args: {
          p_last_outcome?: string
          p_lead_id: string
          p_now: string
          p_tenant_id: string
        }
        Returns: {
          fallback_zone: string
          inputs: Database["dialer"]["CompositeTypes"]["schedule_inputs"]
        }[]
      }
      _limit: { Args: { p_name: string }; Returns: number }
      _move_campaign: {
        Args: { p_action: string; p_campaign_id: string; p_now: string }
        Returns: Json
      }
      _number_region: { Args: { p_phone: string }; Returns: string }
      _number_zones: {
        Args: { p_phone: string; p_zone_precision: string }
        Returns: string[]
      }
      _over_limit: {
        Args: { p_asked: number; p_limit: string; p_what: string }
        Returns: undefined
      }
      _plan_lead: {
        Args: {
          p_last_outcome?: string
          p_lead_id: string
          p_now: string
          p_tenant_id: string
        }
        Returns: Database["dialer"]["CompositeTypes"]["lead_plan"]
        SetofOptions: {
          from: "*"
          to: "lead_plan"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      _record_late_opt_out: {
        Args: {
          p_call: Database["dialer"]["Tables"]["calls"]["Row"]
          p_now: string
          p_outcome: string
        }
        Returns: Json
      }
      _replan_campaign: {
        Args: { p_campaign_id: string; p_now: string; p_tenant_id: string }
        Returns: undefined
      }
      _replan_number: {
        Args: {
          p_except_lead: string
          p_now: string
          p_phone: string
          p_tenant_id: string
        }
        Returns: undefined
      }
      _require_active_tenant: {
        Args: { p_action: string; p_tenant_id: string }
        Returns: undefined
      }
      _rule_history_horizon: {
        Args: { p_retry_policy: Json; p_rule_packs: string[] }
        Returns: number
      }
      _stats_block_category: { Args: { p_reason: string }; Returns: string }
      _stats_call_time: {
        Args: {
          p_claimed_at: string
          p_created_at: string
          p_started_at: string
        }
        Returns: string
      }
      _stats_call_totals: {
        Args: { p_campaign_id: string; p_tenant_id: string }
        Returns: {
          abandoned: number
          answered: number
          answered_by_local_hour: number[]
          attempts: number
          by_class: number[]
          by_status: number[]
          calls: number
          campaign_id: string
          completed_seconds: number
          completed_timed_calls: number
          contacts: number
          contacts_by_attempt: number[]
          contacts_by_local_hour: number[]
          conversions: number
          conversions_by_attempt: number[]
          conversions_by_local_hour: number[]
          cost: number
          cost_calls: number
          finished: number
          finished_by_attempt: number[]
          finished_by_local_hour: number[]
          human: number
          in_flight: number
          machine: number
          pre_dial_rejections: number
          shard: number
          talk_calls: number
          talk_histogram: number[]
          talk_seconds: number
          tenant_id: string
          unknown_results: number
        }[]
        SetofOptions: {
          from: "*"
          to: "campaign_call_stats"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      _stats_distribution: {
        Args: { p_first: number; p_last_label: string; p_vector: number[] }
        Returns: Json
      }
      _stats_forget_outcome_classes: { Args: never; Returns: undefined }
      _stats_lead_totals: {
        Args: { p_campaign_id: string; p_tenant_id: string }
        Returns: {
          attempts: number
          by_attempts: number[]
          by_first_contact: number[]
          by_status: number[]
          campaign_id: string
          contacted_leads: number
          first_contact_attempts: number
          leads: number
          shard: number
          tenant_id: string
        }[]
        SetofOptions: {
          from: "*"
          to: "campaign_lead_stats"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      _stats_local_hour: {
        Args: { p_at: string; p_zone: string }
        Returns: number
      }
      _stats_ratio: {
        Args: { p_digits?: number; p_part: number; p_whole: number }
        Returns: number
      }
      _stats_recount_buckets: {
        Args: { p_campaign_id: string; p_tenant_id: string }
        Returns: {
          abandoned: number
          answered: number
          attempts: number
          bucket_start: string
          campaign_id: string
          contacts: number
          conversions: number
          cost: number
          finished: number
          granularity: string
          human: number
          machine: number
          shard: number
          talk_calls: number
          talk_seconds: number
          tenant_id: string
        }[]
        SetofOptions: {
          from: "*"
          to: "campaign_call_buckets"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      _stats_recount_calls: {
        Args: { p_campaign_id: string; p_tenant_id: string }
        Returns: {
          abandoned: number
          answered: number
          answered_by_local_hour: number[]
          attempts: number
          by_class: number[]
          by_status: number[]
          calls: number
          campaign_id: string
          completed_seconds: number
          completed_timed_calls: number
          contacts: number
          contacts_by_attempt: number[]
          contacts_by_local_hour: number[]
          conversions: number
          conversions_by_attempt: number[]
          conversions_by_local_hour: number[]
          cost: number
          cost_calls: number
          finished: number
          finished_by_attempt: number[]
          finished_by_local_hour: number[]
          human: number
          in_flight: number
          machine: number
          pre_dial_rejections: number
          shard: number
          talk_calls: number
          talk_histogram: number[]
          talk_seconds: number
          tenant_id: string
          unknown_results: number
        }
        SetofOptions: {
          from: "*"
          to: "campaign_call_stats"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      _stats_recount_first_contacts: {
        Args: { p_campaign_id: string; p_tenant_id: string }
        Returns: {
          attempt_number: number
          campaign_id: string
          lead_id: string
          tenant_id: string
        }[]
        SetofOptions: {
          from: "*"
          to: "lead_first_contacts"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      _stats_recount_leads: {
        Args: { p_campaign_id: string; p_tenant_id: string }
        Returns: {
          attempts: number
          by_attempts: number[]
          by_first_contact: number[]
          by_status: number[]
          campaign_id: string
          contacted_leads: number
          first_contact_attempts: number
          leads: number
          shard: number
          tenant_id: string
        }
        SetofOptions: {
          from: "*"
          to: "campaign_lead_stats"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      _stats_reset_campaign: {
        Args: { p_campaign_id: string; p_tenant_id: string }
        Returns: undefined
      }
      _stats_update_first_contacts: {
        Args: {
          p_campaigns: string[]
          p_leads: string[]
          p_shards: number[]
          p_tenants: string[]
        }
        Returns: undefined
      }
      _stats_vector_add: {
        Args: { a: number[]; b: number[] }
        Returns: number[]
      }
      _stats_vector_put: {
        Args: { slot: number; state: number[]; value: number }
        Returns: number[]
      }
      _stats_vector_trim: { Args: { p_vector: number[] }; Returns: number[] }
      _stats_visible_campaign: {
        Args: { p_campaign_id: string }
        Returns: string
      }
      add_lead: {
        Args: {
          p_campaign_id: string
          p_custom_fields?: Json
          p_email?: string
          p_first_name?: string
          p_last_name?: string
          p_phone: string
          p_priority?: number
        }
        Returns: {
          attempts: number
          campaign_id: string
          created_at: string
          custom_fields: Json
          id: string
          last_attempt_at: string | null
          last_outcome_class: string | null
          next_attempt_at: string | null
          phone: string
          priority: number
          released_at: string | null
          status: Database["dialer"]["Enums"]["lead_status"]
          tenant_id: string
          updated_at: string
        }
        SetofOptions: {
          from: "*"
          to: "leads"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      call_in_flight: {
        Args: { p_status: Database["dialer"]["Enums"]["call_status"] }
        Returns: boolean
      }
      campaign_dialability: {
        Args: { p_campaign_id: string; p_limit?: number; p_now?: string }
        Returns: Json
      }
      campaign_local_hours: {
        Args: { p_campaign_id: string }
        Returns: {
          answer_rate: number
          answered: number
          contact_rate: number
          contacts: number
          conversion_rate: number
          conversions: number
          finished: number
          local_hour: number
        }[]
      }
      campaign_stats: {
        Args: { p_campaign_id: string; p_now?: string }
        Returns: Json
      }
      campaign_stats_enabled: { Args: never; Returns: boolean }
      campaign_timeseries: {
        Args: {
          p_bucket?: string
          p_campaign_id: string
          p_from?: string
          p_to?: string
        }
        Returns: {
          abandon_rate: number
          abandoned: number
          answer_rate: number
          answered: number
          attempts: number
          bucket_start: string
          contact_rate: number
          contacts: number
          conversions: number
          cost: number
          finished: number
          human: number
          machine: number
          talk_seconds: number
        }[]
      }
      check_calling_windows: {
        Args: { p_calling_windows: Json }
        Returns: boolean
      }
      check_retry_policy: { Args: { p_retry_policy: Json }; Returns: boolean }
      check_rule_pack_rule: {
        Args: { p_applies_to: string; p_figures: Json; p_rule: string }
        Returns: boolean
      }
      check_rule_packs: { Args: { p_rule_packs: string[] }; Returns: boolean }
      claim_calls: {
        Args: {
          p_campaign_id: string
          p_lease?: string
          p_max_calls?: number
          p_now?: string
          p_worker_id: string
        }
        Returns: {
          attempt_number: number
          call_id: string
          dial_by: string
          idempotency_key: string
          lead_id: string
          lease_expires_at: string
          phone: string
        }[]
      }
      claim_tenant_calls: {
        Args: {
          p_lease?: string
          p_max_calls?: number
          p_now?: string
          p_tenant_id: string
          p_worker_id: string
        }
        Returns: {
          attempt_number: number
          call_id: string
          campaign_id: string
          dial_by: string
          idempotency_key: string
          lead_id: string
          lease_expires_at: string
          phone: string
        }[]
      }
      complete_call: {
        Args: {
          p_answered_at?: string
          p_call_id: string
          p_cost?: number
          p_duration_seconds?: number
          p_ended_at?: string
          p_now?: string
          p_outcome: string
          p_provider?: string
          p_provider_call_id?: string
          p_recording_url?: string
          p_summary?: string
          p_transcript?: Json
        }
        Returns: Json
      }
      create_tenant: {
        Args: { p_name: string; p_slug?: string }
        Returns: {
          created_at: string
          default_region: string | null
          default_time_zone: string
          id: string
          name: string
          retention_days: number | null
          settings: Json
          slug: string | null
          status: Database["dialer"]["Enums"]["tenant_status"]
          updated_at: string
        }
        SetofOptions: {
          from: "*"
          to: "tenants"
          isOneToOne: true
          isSetofReturn: false
        }
      }
      current_user_id: { Args: never; Returns: string }
      default_rule_packs: { Args: { p_phone: string }; Returns: string[] }
      e164: { Args: { phone: string; region: string }; Returns: string }
      e164_default: { Args: { phone: string }; Returns: string }
      explain_next_attempt: {
        Args: {
          p_artificial_voice?: boolean
          p_attempts?: number
          p_calling_windows?: Json
          p_campaign_ends_at?: string
          p_campaign_starts_at?: string
          p_class_attempts?: number
          p_contact_windows?: Json
          p_has_consent?: boolean
          p_last_abandoned_at?: string
          p_last_attempt_at?: string
          p_last_outcome?: string
          p_last_refusal_at?: string
          p_lead_id: string
          p_now?: string
          p_recent_calls?: string[]
          p_retry_policy: Json
          p_rule_packs?: string[]
          p_suppressed?: boolean
          p_zones: string[]
        }
        Returns: Json
      }
      grant_api_access: { Args: never; Returns: undefined }
      has_tenant_role: {
        Args: {
          p_min_role?: Database["dialer"]["Enums"]["member_role"]
          p_tenant_id: string
        }
        Returns: boolean
      }
      import_leads: {
        Args: {
          p_campaign_id: string
          p_leads: Json
          p_max_rejects?: number
          p_region?: string
        }
        Returns: Json
      }
      import_leads_from: {
        Args: {
          p_campaign_id: string
          p_max_rejects?: number
          p_region?: string
          p_source: unknown
        }
        Returns: Json
      }
      join_realtime_publication: {
        Args: { p_publication?: unknown }
        Returns: unknown[]
      }
      map_outcome: {
        Args: { p_provider: string; p_raw_outcome: string; p_tenant_id: string }
        Returns: string
      }
      mark_call_dialing: {
        Args: { p_call_id: string; p_now?: string; p_provider_call_id?: string }
        Returns: Json
      }
      next_attempt_at: {
        Args: {
          p_artificial_voice?: boolean
          p_attempts?: number
          p_calling_windows?: Json
          p_campaign_ends_at?: string
          p_campaign_starts_at?: string
          p_class_attempts?: number
          p_contact_windows?: Json
          p_has_consent?: boolean
          p_last_abandoned_at?: string
          p_last_attempt_at?: string
          p_last_outcome?: string
          p_last_refusal_at?: string
          p_lead_id: string
          p_now?: string
          p_recent_calls?: string[]
          p_retry_policy: Json
          p_rule_packs?: string[]
          p_suppressed?: boolean
          p_zones: string[]
        }
        Returns: string
      }
      pause_campaign: {
        Args: { p_campaign_id: string; p_now?: string }
        Returns: Json
      }
      phone_area_timezones: {
        Args: { phone: string; region: string }
        Returns: string[]
      }
      phone_e164_check: { Args: { value: string }; Returns: boolean }
      phone_info: { Args: { phone: string; region: string }; Returns: Json }
      phone_library_version: { Args: never; Returns: string }
      phone_timezones: {
        Args: { phone: string; region: string }
        Returns: string[]
      }
      purge_conversations: {
        Args: { p_batch_size?: number; p_now?: string; p_tenant_id: string }
        Returns: number
      }
      reap_expired_claims: {
        Args: { p_limit?: number; p_now?: string }
        Returns: Json
      }
      rebuild_campaign_stats: {
        Args: { p_campaign_id?: string }
        Returns: number
      }
      recipient_time_zone: {
        Args: {
          p_campaign_id: string
          p_lead_id: string
          p_phone: string
          p_tenant_id: string
        }
        Returns: string
      }
      release_call: {
        Args: { p_call_id: string; p_now?: string; p_reason?: string }
        Returns: Json
      }
      release_lead: {
        Args: { p_lead_id: string; p_now?: string }
        Returns: Json
      }
      resolve_tenant: {
        Args: { channel?: string; identifier: string }
        Returns: string
      }
      resume_campaign: {
        Args: { p_campaign_id: string; p_now?: string }
        Returns: Json
      }
      set_campaign_stats_enabled: {
        Args: { p_enabled: boolean }
        Returns: boolean
      }
      start_campaign: {
        Args: { p_campaign_id: string; p_now?: string }
        Returns: Json
      }
      stop_campaign: {
        Args: { p_campaign_id: string; p_now?: string }
        Returns: Json
      }
      talk_time_bucket: { Args: { seconds: number }; Returns: number }
      talk_time_bucket_lower: { Args: { bucket: number }; Returns: number }
      talk_time_buckets: {
        Args: never
        Returns: {
          bucket: number
          lower_seconds: number
          upper_seconds: number
        }[]
      }
      talk_time_quantile: {
        Args: { histogram: number[]; q: number }
        Returns: number
      }
      track_updated_at: {
        Args: { col?: unknown; skip_noop?: boolean; tbl: unknown }
        Returns: undefined
      }
      try_e164: { Args: { phone: string; region: string }; Returns: string }
      try_e164_default: { Args: { phone: string }; Returns: string }
      user_tenant_ids: {
        Args: { p_min_role?: Database["dialer"]["Enums"]["member_role"] }
        Returns: string[]
      }
      verify_campaign_stats: {
        Args: { p_campaign_id: string }
        Returns: {
          counter: string
          kept: string
          recounted: string
        }[]
      }
      version: { Args: never; Returns: string }
      why_not_dialable: {
        Args: { p_lead_id: string; p_now?: string }
        Returns: Json
      }
    }
    Enums: {
      call_direction: "outbound" | "inbound"
      call_status:
        | "claimed"
        | "dialing"
        | "ringing"
        | "in_progress"
        | "completed"
        | "failed"
        | "cancelled"
        | "expired"
      campaign_status:
        "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled"
      conversation_status: "active" | "ended"
      escalation_status: "pending" | "notified" | "in_progress" | "resolved"
      identifier_kind: "phone" | "email" | "handle"
      lead_status:
        | "pending"
        | "scheduled"
        | "in_progress"
        | "held"
        | "completed"
        | "converted"
        | "refused"
        | "do_not_call"
        | "invalid"
        | "failed"
        | "cancelled"
      member_role: "viewer" | "agent" | "admin" | "owner"
      message_role: "user" | "assistant" | "system" | "tool"
      tenant_status: "active" | "suspended"
    }
    CompositeTypes: {
      _stats_lead_key: {
        tenant_id: string | null
        campaign_id: string | null
        lead_id: string | null
      }
      lead_plan: {
        next_attempt_at: string | null
        final_status: Database["dialer"]["Enums"]["lead_status"] | null
        recipient_zone: string | null
        legal_until: string | null
      }
      schedule_inputs: {
        lead_id: string | null
        retry_policy: Json | null
        zones: string[] | null
        attempts: number | null
        last_outcome: string | null
        class_attempts: number | null
        last_attempt_at: string | null
        recent_calls: string[] | null
        last_abandoned_at: string | null
        last_refusal_at: string | null
        calling_windows: Json | null
        contact_windows: Json | null
        rule_packs: string[] | null
        suppressed: boolean | null
        artificial_voice: boolean | null
        has_consent: boolean | null
        campaign_starts_at: string | null
        campaign_ends_at: string | null
      }
    }
  }
  public: {
    Tables: {
      [_ in never]: never
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      get_campaign_stats: { Args: { campaign_id: string }; Returns: Json }
    }
    Enums: {
      [_ in never]: never
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    keyof DefaultSchema["Tables"] | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    keyof DefaultSchema["Tables"] | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    keyof DefaultSchema["Enums"] | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never

export const Constants = {
  dialer: {
    Enums: {
      call_direction: ["outbound", "inbound"],
      call_status: [
        "claimed",
        "dialing",
        "ringing",
        "in_progress",
        "completed",
        "failed",
        "cancelled",
        "expired",
      ],
      campaign_status: [
        "draft",
        "scheduled",
        "running",
        "paused",
        "completed",
        "cancelled",
      ],
      conversation_status: ["active", "ended"],
      escalation_status: ["pending", "notified", "in_progress", "resolved"],
      identifier_kind: ["phone", "email", "handle"],
      lead_status: [
        "pending",
        "scheduled",
        "in_progress",
        "held",
        "completed",
        "converted",
        "refused",
        "do_not_call",
        "invalid",
        "failed",
        "cancelled",
      ],
      member_role: ["viewer", "agent", "admin", "owner"],
      message_role: ["user", "assistant", "system", "tool"],
      tenant_status: ["active", "suspended"],
    },
  },
  public: {
    Enums: {},
  },
} as const

