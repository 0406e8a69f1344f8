-- Variant for scripts/ab-workers.sh: bench/ab/queue_parts.sql, without: gate.
\set parts_off 'gate'
\ir queue_parts.sql
-- ab-workers-args: --claim-fn bench_parts.claim_calls --complete-fn bench_parts.complete_call
