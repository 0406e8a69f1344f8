CREATE TRIGGER dialer_occupy_call_slot AFTER INSERT ON dialer.calls
  FOR EACH ROW WHEN (NEW.slot IS NOT NULL AND dialer.call_in_flight(NEW.status))
  EXECUTE FUNCTION dialer._occupy_call_slot();
