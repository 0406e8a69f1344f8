// Reference data the statistics triggers cache per connection: the values of
// dialer.call_status and dialer.lead_status in their order, and dialer.outcome_classes
// with their flags and vector slots (stats_reference.cpp).
#pragma once

#include "pg/postgres_includes.hpp"

namespace dialer::stats {

constexpr int kMaxStatuses = 32;     // values of dialer.call_status / dialer.lead_status
constexpr int kMaxClassSlots = 256;  // dialer.stats_outcome_slots.slot

// What a call status means for the counters, by name.
enum class StatusKind { kInFlight, kCompleted, kFailed, kExpired, kCancelled };

struct EnumValue {
  Oid oid;
  int slot;  // 1-based position in the enum's order (its vector slot)
  StatusKind kind;
};

// Outcome class flags and vector slot (one row of dialer.outcome_classes).
struct ClassInfo {
  char name[NAMEDATALEN];
  int slot;
  bool answered, human, machine, contact, conversion, abandoned, unknown_result, transport_error;
};

// Loads what the calls trigger needs (call statuses, outcome classes) when not cached.
void LoadCallReference();

// Loads the lead statuses when not cached.
void LoadLeadReference();

// The call status of an enum value's OID (reloading once for a value added since).
const EnumValue* CallStatus(Oid oid);

// The lead status of an enum value's OID (reloading once for a value added since).
const EnumValue* LeadStatus(Oid oid);

// The class named by a text datum, or nullptr when dialer.outcome_classes lacks it.
const ClassInfo* FindClass(Datum name);

}  // namespace dialer::stats
