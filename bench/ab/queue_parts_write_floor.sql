-- Variant for scripts/ab-workers.sh: bench/ab/queue_write_floor.sql after the settings
-- bench/ab/queue_parts.sql changes are put back (to run beside the queue_parts variants).
\set parts_off ''
\ir queue_parts.sql
\ir queue_write_floor.sql
-- ab-workers-args: --claim-fn bench_floor.claim_calls --complete-fn bench_floor.complete_call
