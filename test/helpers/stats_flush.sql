-- Included (\i) by scripted tests that read pg_stat_user_tables or pg_stat_user_indexes for the
-- work their own connection just did: PostgreSQL 15 flushes a backend's statistics lazily, so
-- force the flush, end the transaction (the flush happens outside it) and drop the cached
-- statistics snapshot, so that the next read sees this connection's counts.
SELECT pg_stat_force_next_flush();
SELECT 1;
SELECT pg_stat_clear_snapshot();
