// First contacts: the fast path for a lead's first contact call (an insert into
// dialer.lead_first_contacts and an in-place addition to the lead counters), and the
// general recount of the leads whose contact calls changed
// (dialer._stats_update_first_contacts in sql_src/50_stats_counters.sql).
#include "pg/stats_first_contact.hpp"

#include "pg/stats_counter_write.hpp"
#include "pg/stats_shards.hpp"
#include "pg/stats_statement.hpp"

extern "C" {
#include "access/xact.h"
#include "utils/array.h"
}

namespace dialer::stats {
namespace {

constexpr int kAttemptSlots = 16;  // attempt numbers 1..15, then 16 or more

const char* const kFirstContacts = "SELECT dialer._stats_update_first_contacts($1, $2, $3, $4)";

// The common case of a first contact: the lead's first contact call. The row is created
// only if the lead has none (ON CONFLICT DO NOTHING); when it is, the lead counters move
// by first_contact::kTable as _stats_update_first_contacts would move them.
const char* const kFirstContactInsert =
    "INSERT INTO dialer.lead_first_contacts (tenant_id, campaign_id, lead_id, attempt_number) "
    "SELECT $1, $2, $3, $4 "
    "WHERE EXISTS (SELECT 1 FROM dialer.campaigns c WHERE c.tenant_id = $1 AND c.id = $2) "
    "ON CONFLICT DO NOTHING";

SPIPlanPtr first_contacts_plan, first_contact_insert_plan;

// The one contact change of a statement when it is a lead's new contact call (weight
// +1), else null.
ContactChange* SingleNewContact(HTAB* contacts) {
  ContactChange* single = nullptr;
  HASH_SEQ_STATUS status;
  hash_seq_init(&status, contacts);
  for (ContactChange* c; (c = static_cast<ContactChange*>(hash_seq_search(&status))) != nullptr;) {
    if (c->weight == 0) continue;
    if (single != nullptr || c->weight != 1) {
      hash_seq_term(&status);
      return nullptr;
    }
    single = c;
  }
  return single;
}

// Inserts the lead's lead_first_contacts row; false when it had one (or the campaign is gone).
bool InsertFirstContact(const ContactKey& key) {
  static const Oid types[4] = {UUIDOID, UUIDOID, UUIDOID, INT4OID};
  Datum row[4] = {UUIDPGetDatum(&key.campaign.tenant), UUIDPGetDatum(&key.campaign.campaign),
                  UUIDPGetDatum(&key.lead), Int32GetDatum(key.attempt)};
  Run(Prepare(&first_contact_insert_plan, kFirstContactInsert, 4, types), row);
  return SPI_processed == 1;
}

// Adds one contacted lead, first reached at key.attempt, to the campaign's lead counters.
void CountFirstContact(const ContactKey& key) {
  int64 by_attempt[kAttemptSlots] = {0};
  by_attempt[(key.attempt < kAttemptSlots ? key.attempt : kAttemptSlots) - 1] = 1;
  Datum v[first_contact::kColumnCount] = {};
  v[first_contact::kTenantId] = UUIDPGetDatum(&key.campaign.tenant);
  v[first_contact::kCampaignId] = UUIDPGetDatum(&key.campaign.campaign);
  v[first_contact::kShard] = Int16GetDatum(ReserveShard(&key.campaign));
  v[first_contact::kContactedLeads] = Int64GetDatum(1);
  v[first_contact::kFirstContactAttempts] = Int64GetDatum(key.attempt);
  v[first_contact::kByFirstContact] = Vector(by_attempt, kAttemptSlots);
  AddToCounters(first_contact::kTable, v);
}

// The fast path of first contacts: true when the statement's only contact change was
// the lead's first contact call and it has been counted; false when the general
// recount (_stats_update_first_contacts) must run.
// Why it is exact: a lead_first_contacts row exists exactly when the lead has a contact
// call, so creating it proves this call is the only one, hence the first. A concurrent
// writer of another contact call of the lead waits on the row's unique key and then
// finds it (its own insert does nothing) and takes the general path, which sees both
// calls. Only under READ COMMITTED: at higher isolation the general path adds the
// serialization checks a snapshot older than the statement needs.
bool TryFirstContact(HTAB* contacts) {
  if (XactIsoLevel != XACT_READ_COMMITTED) return false;
  ContactChange* c = SingleNewContact(contacts);
  if (c == nullptr || c->key.attempt < 1) return false;
  if (!InsertFirstContact(c->key)) return false;
  CountFirstContact(c->key);
  return true;
}

// A uuid[] of n uuid datums.
Datum UuidArray(Datum* items, int n) {
  return PointerGetDatum(construct_array(items, n, UUIDOID, UUID_LEN, false, TYPALIGN_CHAR));
}

// The general path: every lead whose contact calls changed, with the shard reserved for
// its campaign, to dialer._stats_update_first_contacts.
void RecountFirstContacts(HTAB* contacts) {
  long changes = hash_get_num_entries(contacts);
  Datum* tenants = static_cast<Datum*>(palloc(sizeof(Datum) * changes));
  Datum* campaigns = static_cast<Datum*>(palloc(sizeof(Datum) * changes));
  Datum* leads = static_cast<Datum*>(palloc(sizeof(Datum) * changes));
  Datum* shards = static_cast<Datum*>(palloc(sizeof(Datum) * changes));
  int n = 0;
  HASH_SEQ_STATUS status;
  hash_seq_init(&status, contacts);
  for (ContactChange* c; (c = static_cast<ContactChange*>(hash_seq_search(&status))) != nullptr;) {
    if (c->weight == 0) continue;
    tenants[n] = UUIDPGetDatum(&c->key.campaign.tenant);
    campaigns[n] = UUIDPGetDatum(&c->key.campaign.campaign);
    leads[n] = UUIDPGetDatum(&c->key.lead);
    shards[n] = Int16GetDatum(ReserveShard(&c->key.campaign));
    n++;
  }
  if (n == 0) return;
  static const Oid types[4] = {UUIDARRAYOID, UUIDARRAYOID, UUIDARRAYOID, INT2ARRAYOID};
  Datum v[4] = {
      UuidArray(tenants, n), UuidArray(campaigns, n), UuidArray(leads, n),
      PointerGetDatum(construct_array(shards, n, INT2OID, sizeof(int16), true, TYPALIGN_SHORT))};
  Run(Prepare(&first_contacts_plan, kFirstContacts, 4, types), v);
}

}  // namespace

void ApplyFirstContacts(HTAB* contacts) {
  if (hash_get_num_entries(contacts) == 0 || TryFirstContact(contacts)) return;
  RecountFirstContacts(contacts);
}

}  // namespace dialer::stats
