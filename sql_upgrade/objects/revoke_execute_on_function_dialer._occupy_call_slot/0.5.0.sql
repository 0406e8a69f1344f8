REVOKE EXECUTE ON FUNCTION dialer._occupy_call_slot() FROM PUBLIC;
