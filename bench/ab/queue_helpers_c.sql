-- Variant for scripts/ab-workers.sh: the same two helpers in C (0.6.0): the default packs
-- remembered per region and area code, the caller's role from the role cache.
\i bench/ab/default_packs_c.sql
\i bench/ab/caller_bypasses_c.sql
