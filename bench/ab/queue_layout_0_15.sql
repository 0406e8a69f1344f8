-- Variant for scripts/ab-concurrent.sh: the queue's SQL layout of 0.15.0 on the current library:
-- the slot triggers in PL/pgSQL and leads_open_idx (bench/ab/slot_triggers_plpgsql.sql,
-- bench/ab/open_index_released.sql); compare with bench/ab/queue_layout_0_16.sql.
\ir slot_triggers_plpgsql.sql
\ir open_index_released.sql
