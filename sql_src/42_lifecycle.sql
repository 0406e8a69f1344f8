-- Campaign lifecycle: draft -> scheduled/running <-> paused -> completed / cancelled.
-- start/pause/resume/stop validate the move (an illegal one is PT409, HTTP 409),
-- record who and when, and return the campaign's new state. Pausing stops new claims
-- while calls in flight finish; stopping also cancels the leads not yet called; a
-- running campaign completes itself when no lead is left (dialer.complete_call).

-- The status a move leads to from p_from, or NULL when the move is illegal.
CREATE FUNCTION dialer._campaign_move_target(p_action text, p_from dialer.campaign_status,
                                             p_starts_later boolean)
RETURNS dialer.campaign_status
LANGUAGE sql IMMUTABLE
SET search_path = ''
AS $$
  SELECT CASE
    WHEN p_action IN ('start', 'resume') AND p_from = (CASE p_action WHEN 'start' THEN 'draft' ELSE 'paused' END)::dialer.campaign_status
      THEN (CASE WHEN p_starts_later THEN 'scheduled' ELSE 'running' END)::dialer.campaign_status
    WHEN p_action = 'pause' AND p_from IN ('scheduled', 'running') THEN 'paused'::dialer.campaign_status
    WHEN p_action = 'stop' AND p_from IN ('draft', 'scheduled', 'running', 'paused') THEN 'cancelled'::dialer.campaign_status
  END
$$;
COMMENT ON FUNCTION dialer._campaign_move_target(text, dialer.campaign_status, boolean) IS
  'Internal: the lifecycle table. start: draft -> running (scheduled if schedule_start is later); '
  'pause: scheduled/running -> paused; resume: paused -> running/scheduled; stop: any open state -> cancelled.';
REVOKE EXECUTE ON FUNCTION dialer._campaign_move_target(text, dialer.campaign_status, boolean) FROM PUBLIC;

-- Applies one lifecycle move and returns {campaign_id, previous_status, status, changed_at, changed_by, leads_cancelled}.
CREATE FUNCTION dialer._move_campaign(p_campaign_id uuid, p_action text, p_now timestamptz)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = ''
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off  -- see 41_queue_state.sql: plans made while a table looked empty
SET jit = off
AS $$
DECLARE
  v_c dialer.campaigns := dialer._campaign_for(p_campaign_id, 'admin');
  v_to dialer.campaign_status;
  v_cancelled bigint := 0;
BEGIN
  PERFORM dialer._check_caller_instant('p_now', p_now);
  -- The campaign gate, exclusive: waits for the claims running now (they hold it
  -- shared) and holds later ones until this move commits (_campaign_gate_key).
  PERFORM pg_advisory_xact_lock(dialer._campaign_gate_key(v_c.id));
  IF p_action IN ('start', 'resume') THEN
    PERFORM dialer._require_active_tenant(v_c.tenant_id, p_action || ' campaign ' || p_campaign_id);
  END IF;
  -- Read again under the gate (a move that ran meanwhile is seen). NO KEY UPDATE, not
  -- UPDATE: the key-share locks of writers' foreign-key checks need not wait for it.
  SELECT * INTO v_c FROM dialer.campaigns c WHERE c.tenant_id = v_c.tenant_id AND c.id = v_c.id
     FOR NO KEY UPDATE;
  v_to := dialer._campaign_move_target(p_action, v_c.status, coalesce(v_c.schedule_start > p_now, false));
  IF v_to IS NULL THEN
    RAISE EXCEPTION 'cannot % campaign %: it is %', p_action, p_campaign_id, v_c.status
      USING ERRCODE = 'PT409',
            DETAIL = 'Allowed moves: start draft; pause scheduled or running; resume paused; stop any of draft, scheduled, running, paused.',
            HINT = CASE WHEN v_c.status IN ('completed', 'cancelled')
                        THEN 'A finished campaign cannot be reopened; create a new campaign.'
                        ELSE 'Check the campaign''s status first (dialer.campaigns.status).' END;
  END IF;
  IF p_action = 'start' AND v_c.schedule_end IS NOT NULL AND v_c.schedule_end <= p_now THEN
    RAISE EXCEPTION 'cannot start campaign %: its schedule ended at %', p_campaign_id, v_c.schedule_end
      USING ERRCODE = 'PT409', DETAIL = 'schedule_end is not after now.',
            HINT = 'Move schedule_end later, or clear it.';
  END IF;
  UPDATE dialer.campaigns c
     SET status = v_to, status_changed_at = p_now, status_changed_by = dialer.current_user_id(),
         started_at = CASE WHEN v_to = 'running' THEN coalesce(c.started_at, p_now) ELSE c.started_at END,
         completed_at = CASE WHEN v_to = 'cancelled' THEN p_now ELSE c.completed_at END
   WHERE c.tenant_id = v_c.tenant_id AND c.id = v_c.id;
  IF v_to = 'cancelled' THEN
    UPDATE dialer.leads l SET status = 'cancelled', next_attempt_at = NULL
     WHERE l.tenant_id = v_c.tenant_id AND l.campaign_id = v_c.id AND l.status IN ('pending', 'scheduled', 'held');
    GET DIAGNOSTICS v_cancelled = ROW_COUNT;
  END IF;
  RETURN jsonb_build_object('campaign_id', v_c.id, 'previous_status', v_c.status, 'status', v_to,
                            'changed_at', p_now, 'changed_by', dialer.current_user_id(),
                            'leads_cancelled', v_cancelled);
END
$$;
COMMENT ON FUNCTION dialer._move_campaign(uuid, text, timestamptz) IS
  'Internal: validates and applies one campaign lifecycle move (admin role; PT409 when illegal).';
REVOKE EXECUTE ON FUNCTION dialer._move_campaign(uuid, text, timestamptz) FROM PUBLIC;

CREATE FUNCTION dialer.start_campaign(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$ SELECT dialer._move_campaign(p_campaign_id, 'start', p_now) $$;
COMMENT ON FUNCTION dialer.start_campaign(uuid, timestamptz) IS
  'Starts a draft campaign: running now, or scheduled when schedule_start is later (admin role). '
  'Returns {campaign_id, previous_status, status, changed_at, changed_by, leads_cancelled}; PT409 if not a draft.';

CREATE FUNCTION dialer.pause_campaign(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$ SELECT dialer._move_campaign(p_campaign_id, 'pause', p_now) $$;
COMMENT ON FUNCTION dialer.pause_campaign(uuid, timestamptz) IS
  'Pauses a scheduled or running campaign: no new claims; calls in flight finish (admin role; PT409 otherwise).';

CREATE FUNCTION dialer.resume_campaign(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$ SELECT dialer._move_campaign(p_campaign_id, 'resume', p_now) $$;
COMMENT ON FUNCTION dialer.resume_campaign(uuid, timestamptz) IS
  'Resumes a paused campaign: running (or scheduled when schedule_start is later); admin role; PT409 otherwise.';

CREATE FUNCTION dialer.stop_campaign(p_campaign_id uuid, p_now timestamptz DEFAULT now())
RETURNS jsonb LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = ''
AS $$ SELECT dialer._move_campaign(p_campaign_id, 'stop', p_now) $$;
COMMENT ON FUNCTION dialer.stop_campaign(uuid, timestamptz) IS
  'Stops a campaign for good: cancelled, its pending, scheduled and held leads cancelled; calls in '
  'flight may still be completed (admin role; PT409 when already finished).';

REVOKE EXECUTE ON FUNCTION dialer.start_campaign(uuid, timestamptz), dialer.pause_campaign(uuid, timestamptz),
  dialer.resume_campaign(uuid, timestamptz), dialer.stop_campaign(uuid, timestamptz) FROM PUBLIC;
INSERT INTO dialer.api_grants (function, grantee)
SELECT f::regprocedure, g
  FROM unnest(ARRAY['dialer.start_campaign(uuid, timestamptz)', 'dialer.pause_campaign(uuid, timestamptz)',
                    'dialer.resume_campaign(uuid, timestamptz)', 'dialer.stop_campaign(uuid, timestamptz)']) f,
       unnest(ARRAY['authenticated', 'service_role']) g;
