-- Variant for scripts/ab-workers.sh: the schedule inputs read by index lookups in C (0.7.0,
-- src/pg/lead_inputs.cpp).
CREATE OR REPLACE FUNCTION dialer._lead_schedule_inputs(p_tenant_id uuid, p_lead_id uuid, p_now timestamptz,
                                                        p_last_outcome text DEFAULT NULL)
RETURNS TABLE (inputs dialer.schedule_inputs, fallback_zone text)
LANGUAGE c STABLE
ROWS 1
AS '$libdir/pg_dialer', 'dialer_lead_schedule_inputs';
