CREATE TRIGGER dialer_occupy_call_slot AFTER INSERT ON dialer.calls
  FOR EACH ROW WHEN (NEW.slot IS NOT NULL AND NEW.status IN ('claimed', 'dialing', 'ringing', 'in_progress'))
  EXECUTE FUNCTION dialer._occupy_call_slot();
