-- Variant for scripts/ab-workers.sh: the queue benchmark's straightforward PL/pgSQL queue
-- (bench/queue_naive.sql: the same checks, SELECT ... FOR UPDATE without SKIP LOCKED, the
-- campaign row locked per claim), statistics on.
\ir ../queue_naive.sql
SELECT dialer.set_campaign_stats_enabled(true);
-- ab-workers-args: --claim-fn bench_naive.claim_calls --complete-fn bench_naive.complete_call
