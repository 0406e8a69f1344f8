// pg_dialer from a Supabase client, typed by the generated database.types.ts: a tenant
// admin sets up a campaign (add a lead, import leads, start), a calling worker claims
// and completes calls, a dashboard reads the statistics. Every RPC name, argument name
// and result shape below is checked by `tsc --noEmit` against the types that
// scripts/gen-types.sh generates from the SQL; a renamed function or argument fails
// `make test`. Nothing here runs in the tests (no PostgREST): it only type-checks.
import { createClient, type PostgrestSingleResponse, type SupabaseClient } from "@supabase/supabase-js"
import type { Database, Enums, Json, Tables, TablesInsert } from "./database.types"
import type { CallableRpc } from "./api-access"

type Client = SupabaseClient<Database>
type Lead = Tables<{ schema: "dialer" }, "leads">
type ClaimedCall = Database["dialer"]["Functions"]["claim_calls"]["Returns"][number]

/** A client as a signed-in user (anon key + the user's session) or as the back office (service key). */
export function connect(url: string, key: string): Client {
  return createClient<Database>(url, key)
}

/** Throws the PostgREST error ({code, message, details, hint}) of a failed call. */
function check<T>(result: PostgrestSingleResponse<T>): T {
  if (result.error) throw result.error
  return result.data
}

/** Admin: a tenant of one's own, a campaign in it, one lead by hand, a batch import, then start. */
export async function setUpCampaign(supabase: Client): Promise<string> {
  const dialer = supabase.schema("dialer")
  const tenant = check(await dialer.rpc("create_tenant", { p_name: "Acme Health", p_slug: "acme" }))

  const campaign: TablesInsert<{ schema: "dialer" }, "campaigns"> = {
    tenant_id: tenant.id,
    name: "Flu shot reminders",
    max_concurrent_calls: 8,
    rule_packs: ["us_federal"],
  }
  const { id: campaignId } = check(await dialer.from("campaigns").insert(campaign).select("id").single())

  // One lead: a duplicate phone in the campaign is HTTP 409 (SQLSTATE 23505).
  const lead: Lead = check(
    await dialer.rpc("add_lead", { p_campaign_id: campaignId, p_phone: "+1 (415) 555-2671", p_first_name: "Ada" }),
  )
  console.log("lead", lead.id, lead.phone, lead.status)

  // A batch: normalised, de-duplicated, suppressions honoured, every reject reported.
  const leads: Json = [
    { phone: "(415) 555-2672", first_name: "Grace", custom_fields: { plan: "gold" } },
    { phone: "12" },
  ]
  const report = check(await dialer.rpc("import_leads", { p_campaign_id: campaignId, p_leads: leads, p_region: "US" }))
  console.log("import", report) // {"received": 2, "inserted": 1, "invalid": 1, "rejects": [...], ...}

  check(await dialer.rpc("start_campaign", { p_campaign_id: campaignId }))
  return campaignId
}

/** Worker: claim up to five calls, dial each through the provider, report how each ended. */
export async function dialOnce(supabase: Client, campaignId: string, workerId: string): Promise<number> {
  const dialer = supabase.schema("dialer")
  const calls: ClaimedCall[] = check(
    await dialer.rpc("claim_calls", { p_campaign_id: campaignId, p_worker_id: workerId, p_max_calls: 5 }),
  )
  for (const call of calls) {
    // call.phone is E.164; call.dial_by is the instant past which the dial is no longer legal.
    check(await dialer.rpc("mark_call_dialing", { p_call_id: call.call_id, p_provider_call_id: `retell-${call.call_id}` }))
    check(
      await dialer.rpc("complete_call", {
        p_call_id: call.call_id,
        p_outcome: "voicemail_reached",
        p_provider: "retell",
        p_duration_seconds: 42,
        p_summary: "Left the reminder on voicemail.",
      }),
    )
  }
  return calls.length
}

/** Dashboard: the seed-compatible RPC in public, the rich one in dialer, running campaigns under RLS. */
export async function readStats(supabase: Client, campaignId: string) {
  const stats = check(await supabase.rpc("get_campaign_stats", { campaign_id: campaignId }))
  const detailed = check(await supabase.schema("dialer").rpc("campaign_stats", { p_campaign_id: campaignId }))
  const running = check(
    await supabase.schema("dialer").from("campaigns").select("id, name, status, started_at").eq("status", "running"),
  )
  const status: Enums<{ schema: "dialer" }, "campaign_status"> | undefined = running[0]?.status
  return { stats, detailed, running, status }
}

/** The RPCs a signed-in user may call in dialer, per the grants (api-access.ts). */
export const workerRpc: CallableRpc<"authenticated", "dialer">[] = ["claim_calls", "mark_call_dialing", "complete_call"]
