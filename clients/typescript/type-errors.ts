// Proof that the types bite: each line below is a mistake that `tsc --noEmit` must
// reject (`@ts-expect-error` fails the build when the next line compiles).
import type { SupabaseClient } from "@supabase/supabase-js"
import type { Database } from "./database.types"
import type { CallableRpc } from "./api-access"

export async function mistakes(supabase: SupabaseClient<Database>) {
  const dialer = supabase.schema("dialer")
  // @ts-expect-error no function dialer.add_leads (it is add_lead)
  await dialer.rpc("add_leads", { p_campaign_id: "c", p_phone: "+14155552671" })
  // @ts-expect-error add_lead's argument is p_campaign_id, not campaign_id
  await dialer.rpc("add_lead", { campaign_id: "c", p_phone: "+14155552671" })
  // @ts-expect-error claim_calls requires p_worker_id
  await dialer.rpc("claim_calls", { p_campaign_id: "c" })
  // @ts-expect-error public.get_campaign_stats takes campaign_id (the seed's name), not p_campaign_id
  await supabase.rpc("get_campaign_stats", { p_campaign_id: "c" })
  // @ts-expect-error "paused_forever" is not a campaign_status
  await dialer.from("campaigns").select().eq("status", "paused_forever")
  // @ts-expect-error reap_expired_claims is granted to service_role only
  const backOffice: CallableRpc<"authenticated", "dialer"> = "reap_expired_claims"
  return backOffice
}
