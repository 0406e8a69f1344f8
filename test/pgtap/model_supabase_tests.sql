-- Runs supabase/tests/pg_dialer_test.sql (what `supabase test db` runs) in the suite.
\ir ../../supabase/tests/pg_dialer_test.sql
