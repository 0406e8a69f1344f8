-- Variant for scripts/ab-workers.sh: the released dialer.claim_calls and dialer.complete_call, with
-- the settings bench/ab/queue_parts.sql changes put back (to run beside the queue_parts variants).
\set parts_off ''
\ir queue_parts.sql
