// A lead's first contact: keeping dialer.lead_first_contacts and the lead counters'
// attempts-to-first-contact histogram as the calls trigger sees contact calls change
// (stats_first_contact.cpp).
#pragma once

#include "pg/stats_keys.hpp"

extern "C" {
#include "utils/hsearch.h"
}

namespace dialer::stats {

// Applies a statement's net contact-call changes (ContactChange entries of contacts):
// the common case of a lead's first contact call in place, else through
// dialer._stats_update_first_contacts.
void ApplyFirstContacts(HTAB* contacts);

}  // namespace dialer::stats
