REVOKE EXECUTE ON FUNCTION dialer._comment_updated_at_trigger(regclass, name, boolean) FROM PUBLIC;
