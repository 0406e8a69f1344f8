-- Variant for scripts/ab-workers.sh: the slot triggers' WHEN clauses as 0.7.0 writes them,
-- dialer.call_in_flight inlined (sql_src/55_call_slot.sql).
DROP TRIGGER dialer_occupy_call_slot ON dialer.calls;
CREATE TRIGGER dialer_occupy_call_slot AFTER INSERT ON dialer.calls
  FOR EACH ROW WHEN (NEW.slot IS NOT NULL AND NEW.status < 'completed'::dialer.call_status)
  EXECUTE FUNCTION dialer._occupy_call_slot();
DROP TRIGGER dialer_call_leaves_flight ON dialer.calls;
CREATE TRIGGER dialer_call_leaves_flight AFTER UPDATE OF status ON dialer.calls
  FOR EACH ROW WHEN (OLD.status < 'completed'::dialer.call_status AND NEW.status >= 'completed'::dialer.call_status)
  EXECUTE FUNCTION dialer._call_leaves_flight();
SELECT dialer.set_campaign_stats_enabled(true);
