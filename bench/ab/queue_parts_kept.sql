-- Variant for scripts/ab-workers.sh: bench/ab/queue_parts.sql, every part kept (the control: the released functions copied).
\set parts_off ''
\ir queue_parts.sql
-- ab-workers-args: --claim-fn bench_parts.claim_calls --complete-fn bench_parts.complete_call
