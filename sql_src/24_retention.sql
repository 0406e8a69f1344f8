-- Retention: conversations (and their messages) older than their tenant's
-- retention_days are deleted in bounded batches, so a pg_cron job never holds many row
-- locks or a long transaction.

CREATE FUNCTION dialer.purge_conversations(
  p_tenant_id uuid,
  p_now timestamptz DEFAULT now(),
  p_batch_size integer DEFAULT 1000)
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = ''
AS $$
DECLARE
  v_days integer;
  v_cutoff timestamptz;
  v_messages integer;
  v_conversations integer;
BEGIN
  IF p_batch_size IS NULL OR p_batch_size < 1 THEN
    RAISE EXCEPTION 'batch size % is not a positive number', p_batch_size
      USING ERRCODE = '22023',
            DETAIL = 'Each call deletes at most p_batch_size messages and p_batch_size conversations.',
            HINT = 'Pass p_batch_size => 1000 or another positive number.';
  END IF;
  SELECT t.retention_days INTO v_days FROM dialer.tenants t WHERE t.id = p_tenant_id;
  IF v_days IS NULL THEN
    RETURN 0;
  END IF;
  v_cutoff := p_now - make_interval(days => v_days);

  -- Messages first, so a conversation with many messages is removed over several
  -- calls. SKIP LOCKED: rows a live transaction holds are left for the next run.
  WITH doomed AS (
    SELECT m.tenant_id, m.id
      FROM dialer.conversations c
      JOIN dialer.messages m ON m.tenant_id = c.tenant_id AND m.conversation_id = c.id
     WHERE c.tenant_id = p_tenant_id AND coalesce(c.ended_at, c.started_at) < v_cutoff
     LIMIT p_batch_size
       FOR UPDATE OF m SKIP LOCKED)
  DELETE FROM dialer.messages m USING doomed d WHERE m.tenant_id = d.tenant_id AND m.id = d.id;
  GET DIAGNOSTICS v_messages = ROW_COUNT;

  WITH doomed AS (
    SELECT c.tenant_id, c.id
      FROM dialer.conversations c
     WHERE c.tenant_id = p_tenant_id AND coalesce(c.ended_at, c.started_at) < v_cutoff
       AND NOT EXISTS (SELECT 1 FROM dialer.messages m
                        WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id)
     LIMIT p_batch_size
       FOR UPDATE SKIP LOCKED)
  DELETE FROM dialer.conversations c USING doomed d WHERE c.tenant_id = d.tenant_id AND c.id = d.id;
  GET DIAGNOSTICS v_conversations = ROW_COUNT;
  RETURN v_messages + v_conversations;
END
$$;
COMMENT ON FUNCTION dialer.purge_conversations(uuid, timestamptz, integer) IS
  'Deletes up to p_batch_size messages and p_batch_size conversations of one tenant that ended '
  '(or started, if never ended) more than the tenant''s retention_days before p_now; returns the '
  'rows deleted (0 when nothing is due or the tenant keeps everything). Call until it returns 0.';
REVOKE EXECUTE ON FUNCTION dialer.purge_conversations(uuid, timestamptz, integer) FROM PUBLIC;

-- A procedure, not a function, so it can COMMIT between batches. Why no SET clause:
-- a procedure with SET options may not commit; every name below is schema-qualified.
CREATE PROCEDURE dialer.run_retention(p_now timestamptz DEFAULT now(), p_batch_size integer DEFAULT 1000)
LANGUAGE plpgsql
AS $$
DECLARE
  v_tenant uuid;
BEGIN
  FOR v_tenant IN
    SELECT t.id FROM dialer.tenants t WHERE t.retention_days IS NOT NULL ORDER BY t.id
  LOOP
    WHILE dialer.purge_conversations(v_tenant, p_now, p_batch_size) > 0 LOOP
      COMMIT;
    END LOOP;
    COMMIT;
  END LOOP;
END
$$;
COMMENT ON PROCEDURE dialer.run_retention(timestamptz, integer) IS
  'Purges expired conversations and messages of every tenant with a retention_days setting, '
  'committing after each batch. Schedule with pg_cron: '
  'SELECT cron.schedule(''dialer-retention'', ''17 3 * * *'', ''CALL dialer.run_retention()'').';
REVOKE EXECUTE ON PROCEDURE dialer.run_retention(timestamptz, integer) FROM PUBLIC;
