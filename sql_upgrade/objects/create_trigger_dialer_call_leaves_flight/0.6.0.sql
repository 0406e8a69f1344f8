CREATE TRIGGER dialer_call_leaves_flight AFTER UPDATE OF status ON dialer.calls
  FOR EACH ROW WHEN (dialer.call_in_flight(OLD.status) AND NOT dialer.call_in_flight(NEW.status))
  EXECUTE FUNCTION dialer._call_leaves_flight();
