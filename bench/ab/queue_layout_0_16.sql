-- Variant for scripts/ab-concurrent.sh: the queue's SQL layout of 0.16.0: the slot triggers in C
-- and leads_busy_idx (bench/ab/slot_triggers_c.sql, bench/ab/open_index_busy.sql); compare with
-- bench/ab/queue_layout_0_15.sql.
\ir slot_triggers_c.sql
\ir open_index_busy.sql
