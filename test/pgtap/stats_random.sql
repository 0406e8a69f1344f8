-- Statistics exactness after random activity: 600 small units of work (inserts,
-- claims, completions that move a lead twice, expiries, releases, direct edits of any
-- counted column, deletes, cascades, bulk statements, moves between campaigns), each in
-- its own subtransaction, one in five rolled back. Afterwards every kept counter and
-- histogram equals a full recount, and the reported figures equal direct queries.
\set QUIET on
BEGIN;
\i test/helpers/stats_fixture.sql
SELECT plan(17);
SELECT setseed(0.4242);
SET LOCAL client_min_messages = warning;

CREATE TEMP TABLE work_log (op text, rolled_back boolean);

DO $$
DECLARE
  v_tenant constant uuid := 'dddddddd-0000-0000-0000-0000000000d1';
  v_campaigns constant uuid[] := ARRAY['c1c1c1c1-0000-0000-0000-0000000000c1',
                                       'c2c2c2c2-0000-0000-0000-0000000000c2']::uuid[];
  v_classes text[] := ARRAY(SELECT outcome_class FROM dialer.outcome_classes ORDER BY 1) || ARRAY['not_a_class'];
  v_op text;
  v_rollback boolean;
  v_now timestamptz;
  v_lead dialer.leads;
  v_call dialer.calls;
  v_class text;
  i integer;
BEGIN
  FOR i IN 1 .. 600 LOOP
    v_op := (ARRAY['leads', 'claim', 'claim', 'complete', 'complete', 'complete', 'expire', 'release',
                   'edit_call', 'edit_call', 'delete_call', 'delete_lead', 'bulk_cost', 'move_call',
                   'history', 'edit_lead'])[1 + floor(random() * 16)::int];
    v_rollback := random() < 0.2;
    v_now := timestamptz '2026-03-01T00:00:00Z' + (i * interval '7 minutes');
    BEGIN
      CASE v_op
      WHEN 'leads' THEN
        INSERT INTO dialer.contacts (tenant_id, phone, time_zone)
        SELECT v_tenant, '+1312555' || lpad((1000 + i * 10 + g)::text, 4, '0'),
               (ARRAY[NULL, 'America/Chicago', 'Asia/Kolkata', 'Australia/Lord_Howe'])[1 + floor(random() * 4)::int]
          FROM generate_series(1, 1 + floor(random() * 5)::int) g;
        INSERT INTO dialer.leads (tenant_id, campaign_id, phone)
        SELECT v_tenant, v_campaigns[1 + floor(random() * 2)::int], c.phone
          FROM dialer.contacts c
         WHERE c.tenant_id = v_tenant AND NOT EXISTS (SELECT 1 FROM dialer.leads l WHERE l.phone = c.phone);
      WHEN 'claim' THEN
        SELECT * INTO v_lead FROM dialer.leads l
         WHERE l.status IN ('pending', 'scheduled')
           AND NOT EXISTS (SELECT 1 FROM dialer.calls k WHERE k.lead_id = l.id
                            AND k.status IN ('claimed', 'dialing', 'ringing', 'in_progress'))
         ORDER BY random() LIMIT 1;
        CONTINUE WHEN v_lead.id IS NULL;
        UPDATE dialer.leads SET status = 'in_progress', attempts = attempts + 1, last_attempt_at = v_now
         WHERE id = v_lead.id;
        INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, attempt_number, claimed_at)
        VALUES (v_tenant, v_lead.campaign_id, v_lead.id, v_lead.phone, 'claimed', v_lead.attempts + 1, v_now);
      WHEN 'complete' THEN
        SELECT * INTO v_call FROM dialer.calls k WHERE k.status IN ('claimed', 'dialing', 'ringing', 'in_progress')
         ORDER BY random() LIMIT 1;
        CONTINUE WHEN v_call.id IS NULL;
        v_class := v_classes[1 + floor(random() * (cardinality(v_classes) - 1))::int];
        UPDATE dialer.calls
           SET status = CASE WHEN v_class IN ('failed', 'transport_error') THEN 'failed' ELSE 'completed' END::dialer.call_status,
               outcome_class = v_class,
               duration_seconds = CASE WHEN random() < 0.9 THEN floor(random() ^ 3 * 5000)::int END,
               cost = CASE WHEN random() < 0.8 THEN round((random() * 2)::numeric, 4) END,
               ended_at = v_now
         WHERE id = v_call.id;
        -- As dialer.complete_call: the lead is first scheduled, then moved again.
        UPDATE dialer.leads SET status = 'scheduled', last_outcome_class = v_class WHERE id = v_call.lead_id;
        UPDATE dialer.leads
           SET status = (SELECT CASE WHEN oc.lead_status = 'retry' THEN 'scheduled' ELSE oc.lead_status END
                           FROM dialer.outcome_classes oc WHERE oc.outcome_class = v_class)::dialer.lead_status,
               next_attempt_at = v_now + (random() * interval '3 days')
         WHERE id = v_call.lead_id;
      WHEN 'expire' THEN
        SELECT * INTO v_call FROM dialer.calls k WHERE k.status IN ('claimed', 'dialing', 'ringing', 'in_progress')
         ORDER BY random() LIMIT 1;
        CONTINUE WHEN v_call.id IS NULL;
        UPDATE dialer.calls SET status = 'expired', outcome_class = 'unknown' WHERE id = v_call.id;
        UPDATE dialer.leads SET status = 'held' WHERE id = v_call.lead_id;
      WHEN 'release' THEN
        SELECT * INTO v_call FROM dialer.calls k WHERE k.status IN ('claimed', 'dialing', 'ringing', 'in_progress')
         ORDER BY random() LIMIT 1;
        CONTINUE WHEN v_call.id IS NULL;
        UPDATE dialer.calls SET status = 'cancelled' WHERE id = v_call.id;
        UPDATE dialer.leads SET status = 'pending', attempts = greatest(attempts - 1, 0) WHERE id = v_call.lead_id;
      WHEN 'edit_call' THEN
        UPDATE dialer.calls k
           SET outcome_class = CASE WHEN random() < 0.5 THEN v_classes[1 + floor(random() * cardinality(v_classes))::int]
                                    ELSE k.outcome_class END,
               duration_seconds = CASE WHEN random() < 0.5 THEN floor(random() * 700)::int ELSE k.duration_seconds END,
               cost = CASE WHEN random() < 0.3 THEN NULL ELSE k.cost END,
               claimed_at = CASE WHEN random() < 0.3 THEN k.claimed_at - interval '1 day' ELSE k.claimed_at END,
               attempt_number = CASE WHEN random() < 0.2 THEN k.attempt_number + 17 ELSE k.attempt_number END,
               recipient_time_zone = CASE WHEN random() < 0.1 THEN 'Pacific/Chatham' ELSE k.recipient_time_zone END,
               notes = 'edited'
         WHERE k.id = (SELECT id FROM dialer.calls ORDER BY random() LIMIT 1);
      WHEN 'delete_call' THEN
        DELETE FROM dialer.calls WHERE id = (SELECT id FROM dialer.calls ORDER BY random() LIMIT 1);
      WHEN 'delete_lead' THEN
        DELETE FROM dialer.leads WHERE id = (SELECT id FROM dialer.leads ORDER BY random() LIMIT 1);
      WHEN 'bulk_cost' THEN
        UPDATE dialer.calls SET cost = coalesce(cost, 0) + 0.01, transcript = '[]' WHERE random() < 0.3;
      WHEN 'move_call' THEN
        UPDATE dialer.calls k SET campaign_id = CASE WHEN k.campaign_id = v_campaigns[1] THEN v_campaigns[2] ELSE v_campaigns[1] END
         WHERE k.id = (SELECT id FROM dialer.calls ORDER BY random() LIMIT 1);
      WHEN 'history' THEN
        -- Past attempts loaded in one statement (an import of history).
        INSERT INTO dialer.calls (tenant_id, campaign_id, lead_id, phone, status, outcome_class, attempt_number,
                                  claimed_at, duration_seconds, cost)
        SELECT v_tenant, l.campaign_id, l.id, l.phone, 'completed', v_classes[1 + floor(random() * 14)::int],
               l.attempts + 1 + g, v_now - g * interval '1 day', floor(random() * 400)::int, 0.05
          FROM dialer.leads l, generate_series(1, 3) g
         WHERE random() < 0.2;
      WHEN 'edit_lead' THEN
        UPDATE dialer.leads l
           SET status = (enum_range(NULL::dialer.lead_status))[1 + floor(random() * 11)::int],
               attempts = floor(random() * 20)::int, next_attempt_at = v_now + interval '1 hour'
         WHERE l.id = (SELECT id FROM dialer.leads ORDER BY random() LIMIT 1);
      END CASE;
      IF v_rollback THEN
        RAISE EXCEPTION USING ERRCODE = 'P0004', MESSAGE = 'roll back this unit of work';
      END IF;
      INSERT INTO work_log VALUES (v_op, false);
    EXCEPTION
      WHEN assert_failure THEN
        INSERT INTO work_log VALUES (v_op, true);
      -- A second call in flight for a lead is refused by the queue's unique index.
      WHEN unique_violation THEN
        INSERT INTO work_log VALUES (v_op || ' (refused)', true);
    END;
  END LOOP;
END
$$;

SELECT cmp_ok((SELECT count(*) FROM work_log WHERE rolled_back), '>', 50::bigint, 'many units of work were rolled back');
SELECT cmp_ok((SELECT count(*) FROM work_log WHERE NOT rolled_back), '>', 300::bigint, 'most were committed');
SELECT cmp_ok((SELECT count(*) FROM dialer.calls), '>', 200::bigint, 'and left a few hundred calls');
SELECT is(pg_temp.exact(), 'exact', 'every kept counter and histogram of both campaigns equals a full recount');

-- The reported figures against direct queries that share no code with the statistics.
CREATE TEMP TABLE reported AS
SELECT c.id AS campaign_id, dialer.campaign_stats(c.id, '2026-03-03T12:00:00Z') AS s
  FROM dialer.campaigns c WHERE c.tenant_id = 'dddddddd-0000-0000-0000-0000000000d1';
SELECT is((SELECT array_agg((s #>> '{calls,total}')::bigint ORDER BY campaign_id) FROM reported),
          (SELECT array_agg((SELECT count(*) FROM dialer.calls k WHERE k.campaign_id = r.campaign_id) ORDER BY campaign_id)
             FROM reported r), 'total calls');
SELECT is((SELECT array_agg(s -> 'calls' -> 'by_status' ORDER BY campaign_id) FROM reported),
          (SELECT array_agg((SELECT jsonb_object_agg(st, (SELECT count(*) FROM dialer.calls k
                                                          WHERE k.campaign_id = r.campaign_id AND k.status = st))
                               FROM unnest(enum_range(NULL::dialer.call_status)) st) ORDER BY campaign_id)
             FROM reported r), 'calls by status');
SELECT is((SELECT array_agg(s -> 'leads' -> 'by_status' ORDER BY campaign_id) FROM reported),
          (SELECT array_agg((SELECT jsonb_object_agg(st, (SELECT count(*) FROM dialer.leads l
                                                          WHERE l.campaign_id = r.campaign_id AND l.status = st))
                               FROM unnest(enum_range(NULL::dialer.lead_status)) st) ORDER BY campaign_id)
             FROM reported r), 'leads by status');
SELECT is((SELECT array_agg(s -> 'outcomes' ORDER BY campaign_id) FROM reported),
          (SELECT array_agg((SELECT jsonb_build_object(
                               'answered', count(*) FILTER (WHERE oc.answered), 'human', count(*) FILTER (WHERE oc.human),
                               'machine', count(*) FILTER (WHERE oc.machine), 'contacts', count(*) FILTER (WHERE oc.contact),
                               'conversions', count(*) FILTER (WHERE oc.conversion),
                               'abandoned', count(*) FILTER (WHERE oc.abandoned))
                               FROM dialer.calls k JOIN dialer.outcome_classes oc USING (outcome_class)
                              WHERE k.campaign_id = r.campaign_id) ORDER BY campaign_id)
             FROM reported r), 'outcome flags');
SELECT is((SELECT array_agg(s #> '{calls,by_outcome_class,voicemail}' ORDER BY campaign_id) FROM reported),
          (SELECT array_agg(to_jsonb((SELECT count(*) FROM dialer.calls k WHERE k.campaign_id = r.campaign_id
                                        AND k.outcome_class = 'voicemail')) ORDER BY campaign_id) FROM reported r),
          'attempts of one outcome class');
SELECT is((SELECT array_agg(s #> '{talk_time,total_seconds}' ORDER BY campaign_id) FROM reported),
          (SELECT array_agg(to_jsonb((SELECT coalesce(sum(k.duration_seconds), 0) FROM dialer.calls k
                                        JOIN dialer.outcome_classes oc USING (outcome_class)
                                       WHERE k.campaign_id = r.campaign_id AND oc.answered)) ORDER BY campaign_id)
             FROM reported r), 'talk seconds of answered calls');
SELECT is((SELECT array_agg((s #>> '{cost,total}')::numeric ORDER BY campaign_id) FROM reported),
          (SELECT array_agg((SELECT coalesce(sum(k.cost), 0) FROM dialer.calls k WHERE k.campaign_id = r.campaign_id)
                            ORDER BY campaign_id) FROM reported r), 'total cost');
SELECT is((SELECT array_agg(s #> '{leads,contacted}' ORDER BY campaign_id) FROM reported),
          (SELECT array_agg(to_jsonb((SELECT count(DISTINCT k.lead_id) FROM dialer.calls k
                                        JOIN dialer.outcome_classes oc USING (outcome_class)
                                       WHERE k.campaign_id = r.campaign_id AND oc.contact)) ORDER BY campaign_id)
             FROM reported r), 'contacted leads');
SELECT is((SELECT array_agg((s #>> '{attempts_per_lead,mean}')::numeric ORDER BY campaign_id) FROM reported),
          (SELECT array_agg((SELECT round(avg(l.attempts), 2) FROM dialer.leads l WHERE l.campaign_id = r.campaign_id)
                            ORDER BY campaign_id) FROM reported r), 'mean attempts per lead');
SELECT is((SELECT array_agg(s #> '{leads,not_yet_due}' ORDER BY campaign_id) FROM reported),
          (SELECT array_agg(to_jsonb((SELECT count(*) FROM dialer.leads l WHERE l.campaign_id = r.campaign_id
                                        AND l.status IN ('pending', 'scheduled')
                                        AND l.next_attempt_at > '2026-03-03T12:00:00Z')) ORDER BY campaign_id)
             FROM reported r), 'leads not yet due');
SELECT ok((SELECT bool_and(abs((s #>> '{talk_time,p90}')::numeric - t.p90) <= t.p90 * 0.22 + 1)
             FROM reported r,
                  LATERAL (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY k.duration_seconds)::numeric AS p90
                             FROM dialer.calls k JOIN dialer.outcome_classes oc USING (outcome_class)
                            WHERE k.campaign_id = r.campaign_id AND oc.answered) t),
          'talk-time p90 within one bucket width (at most 22%) of the exact percentile');
SELECT is((SELECT array_agg(h.n ORDER BY r.campaign_id) FROM reported r,
                  LATERAL (SELECT sum(finished) AS n FROM dialer.campaign_local_hours(r.campaign_id)) h),
          (SELECT array_agg((SELECT count(*) FROM dialer.calls k
                              WHERE k.campaign_id = r.campaign_id AND k.status IN ('completed', 'failed', 'expired')
                                AND k.outcome_class IS DISTINCT FROM 'transport_error') ORDER BY campaign_id)::numeric[]
             FROM reported r), 'finished attempts by local hour add up to the finished attempts');
SELECT is((SELECT array_agg((s #>> '{abandon_rate,us_30d,abandoned}')::bigint ORDER BY campaign_id) FROM reported),
          (SELECT array_agg((SELECT count(*) FROM dialer.calls k WHERE k.campaign_id = r.campaign_id
                               AND k.outcome_class = 'abandoned'
                               AND k.claimed_at >= '2026-02-02T00:00:00Z' AND k.claimed_at < '2026-03-04T00:00:00Z')
                            ORDER BY campaign_id) FROM reported r), 'abandoned calls in the 30-day window');

SELECT * FROM finish();
ROLLBACK;
