-- Variant for scripts/ab-workers.sh: bench/ab/queue_floor_probe.sql with probe 'none'.
\set probe 'none'
\ir queue_floor_probe.sql
-- ab-workers-args: --claim-fn bench_probe.claim_calls --complete-fn bench_probe.complete_call
