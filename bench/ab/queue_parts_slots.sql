-- Variant for scripts/ab-workers.sh: bench/ab/queue_parts.sql, without: slots.
\set parts_off 'slots'
\ir queue_parts.sql
-- ab-workers-args: --claim-fn bench_parts.claim_calls --complete-fn bench_parts.complete_call
