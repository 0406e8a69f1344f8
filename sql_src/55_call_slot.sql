-- The slot a call holds, recorded when it is claimed (NULL for calls the queue did not
-- create); see dialer.campaign_slots in 41_queue_state.sql. Added in 0.2.0. Why a file
-- of its own after the statistics: the column comes after calls.recipient_time_zone,
-- so a fresh install and one upgraded from 0.1.0 have the same column order.
ALTER TABLE dialer.calls ADD COLUMN slot integer;
COMMENT ON COLUMN dialer.calls.slot IS
  'The dialer.campaign_slots slot the call occupies while in flight (set by dialer.claim_calls).';
