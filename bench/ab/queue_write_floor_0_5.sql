-- Variant for scripts/ab-workers.sh: the write floor (bench/ab/queue_write_floor.sql) on the
-- calls layout of bench/ab/queue_layout_0_5.sql.
\i bench/ab/queue_layout_0_5.sql
\i bench/ab/queue_write_floor.sql
-- ab-workers-args: --claim-fn bench_floor.claim_calls --complete-fn bench_floor.complete_call
