-- Variant for scripts/ab-workers.sh: bench/ab/queue_parts.sql with each decision made the
-- 0.7.0 way (an SQL function over the inputs and dialer._decide, run as a query) instead of
-- 0.8.0's one C call; against queue_parts_kept.sql it is what dialer._plan_lead in C saves.
\set parts_off 'c_plan'
\ir queue_parts.sql
-- ab-workers-args: --claim-fn bench_parts.claim_calls --complete-fn bench_parts.complete_call
