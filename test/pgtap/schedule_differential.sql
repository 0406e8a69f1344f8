-- Differential test: the scheduling rules written again as straightforward
-- SQL/PL/pgSQL (below, between the "reference" markers; bench/schedule.sh loads
-- the same text) must agree with dialer.next_attempt_at on 10,000 random cases.
-- The reference shares no code with the C++ core: it enumerates candidate
-- instants (the lower bound, every local range start and midnight in every
-- candidate zone, every UTC-offset change found by bisection) with PostgreSQL's
-- own AT TIME ZONE, and returns the first one open everywhere.
BEGIN;
SELECT plan(8);
SET LOCAL timezone = 'UTC';

-- BEGIN schedule reference
-- A duration (seconds, or "1h30m"-style text) in seconds.
CREATE FUNCTION pg_temp.ref_seconds(j jsonb) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(j) = 'number' THEN (j #>> '{}')::bigint
    ELSE (SELECT sum(m[1]::bigint * CASE m[2] WHEN 'd' THEN 86400 WHEN 'h' THEN 3600
                                              WHEN 'm' THEN 60 ELSE 1 END)
            FROM regexp_matches(j #>> '{}', '(\d+)([dhms])', 'g') AS m)::bigint END $$;

-- Easter Sunday by Oudin's algorithm (a different formulation from the core's).
CREATE FUNCTION pg_temp.ref_easter(y int) RETURNS date LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  g int := y % 19; c int := y / 100;
  h int := (c - c / 4 - (8 * c + 13) / 25 + 19 * g + 15) % 30;
  i int := h - (h / 28) * (1 - (29 / (h + 1)) * ((21 - g) / 11));
  j int := (y + y / 4 + i + 2 - c + c / 4) % 7;
  l int := i - j;
  m int := 3 + (l + 40) / 44;
BEGIN
  RETURN make_date(y, m, l + 28 - 31 * (m / 4));
END $$;

-- The n-th ISO weekday (1 = Monday) of a month; n = -1 for the last.
CREATE FUNCTION pg_temp.ref_nth_weekday(y int, m int, dow int, n int) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN n > 0 THEN
    make_date(y, m, 1) + ((dow - extract(isodow FROM make_date(y, m, 1))::int + 7) % 7) + 7 * (n - 1)
  ELSE
    (make_date(y, m, 1) + interval '1 month')::date - 1
      - ((extract(isodow FROM (make_date(y, m, 1) + interval '1 month')::date - 1)::int - dow + 7) % 7)
  END $$;

-- Is the date a holiday of the calendar?
CREATE FUNCTION pg_temp.ref_is_holiday(cal text, d date) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE cal
    WHEN 'fr' THEN to_char(d, 'MM-DD') IN ('01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25')
      OR d - pg_temp.ref_easter(extract(year FROM d)::int) IN (1, 39, 50)
    WHEN 'us_federal' THEN EXISTS (
        -- the actual date, or the Friday before a Saturday / the Monday after a Sunday one
        SELECT 1 FROM (VALUES (d, true), (d + 1, extract(isodow FROM d) = 5),
                              (d - 1, extract(isodow FROM d) = 1)) AS o(h, applies)
         WHERE applies AND (to_char(h, 'MM-DD') IN ('01-01', '07-04', '11-11', '12-25')
                            OR (to_char(h, 'MM-DD') = '06-19' AND extract(year FROM h) >= 2021)))
      OR d IN (pg_temp.ref_nth_weekday(extract(year FROM d)::int, 1, 1, 3),
               pg_temp.ref_nth_weekday(extract(year FROM d)::int, 2, 1, 3),
               pg_temp.ref_nth_weekday(extract(year FROM d)::int, 5, 1, -1),
               pg_temp.ref_nth_weekday(extract(year FROM d)::int, 9, 1, 1),
               pg_temp.ref_nth_weekday(extract(year FROM d)::int, 10, 1, 2),
               pg_temp.ref_nth_weekday(extract(year FROM d)::int, 11, 4, 4))
  END $$;

-- Is a local wall-clock time open under one calling-windows document?
CREATE FUNCTION pg_temp.ref_open(w jsonb, lt timestamp) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  d date := lt::date;
  tod interval := lt - d::timestamp;
  r jsonb;
BEGIN
  IF coalesce(w -> 'blackout_dates', '[]') ? to_char(d, 'YYYY-MM-DD') THEN RETURN false; END IF;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(w -> 'holidays', '[]')) AS cal
              WHERE pg_temp.ref_is_holiday(cal, d)) THEN RETURN false; END IF;
  IF NOT w ? 'days' THEN RETURN true; END IF;
  FOR r IN SELECT * FROM jsonb_array_elements(coalesce(w -> 'days' -> to_char(d, 'dy'), '[]')) LOOP
    IF (r ->> 1)::interval > (r ->> 0)::interval THEN
      IF tod >= (r ->> 0)::interval AND tod < (r ->> 1)::interval THEN RETURN true; END IF;
    ELSIF tod >= (r ->> 0)::interval THEN
      RETURN true;  -- a range running past midnight, on its first day
    END IF;
  END LOOP;
  FOR r IN SELECT * FROM jsonb_array_elements(coalesce(w -> 'days' -> to_char(d - 1, 'dy'), '[]')) LOOP
    IF (r ->> 1)::interval < (r ->> 0)::interval AND tod < (r ->> 1)::interval THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END $$;

-- The built-in rule packs, as data.
CREATE FUNCTION pg_temp.ref_packs() RETURNS TABLE (name text, windows jsonb, caps jsonb,
  after_abandoned bigint, after_refusal bigint, ai_windows jsonb) LANGUAGE sql IMMUTABLE AS $$
  SELECT *, CASE WHEN p.name = 'us_ok' THEN
    '{"days": {"mon": [["09:00","21:00"]], "tue": [["09:00","21:00"]], "wed": [["09:00","21:00"]],
      "thu": [["09:00","21:00"]], "fri": [["09:00","21:00"]], "sat": [["09:00","21:00"]], "sun": [["09:00","21:00"]]}}'::jsonb
    END FROM (VALUES
    ('us_federal', '{"days": {"mon": [["08:00","21:00"]], "tue": [["08:00","21:00"]], "wed": [["08:00","21:00"]],
       "thu": [["08:00","21:00"]], "fri": [["08:00","21:00"]], "sat": [["08:00","21:00"]], "sun": [["08:00","21:00"]]}}'::jsonb,
     '[]'::jsonb, 0::bigint, 0::bigint),
    ('us_fl', '{"days": {"mon": [["08:00","20:00"]], "tue": [["08:00","20:00"]], "wed": [["08:00","20:00"]],
       "thu": [["08:00","20:00"]], "fri": [["08:00","20:00"]], "sat": [["08:00","20:00"]], "sun": [["08:00","20:00"]]}}',
     '[{"max": 3, "per": 86400}]', 0, 0),
    ('us_ok', '{"days": {"mon": [["08:00","20:00"]], "tue": [["08:00","20:00"]], "wed": [["08:00","20:00"]],
       "thu": [["08:00","20:00"]], "fri": [["08:00","20:00"]], "sat": [["08:00","20:00"]], "sun": [["08:00","20:00"]]}}',
     '[{"max": 3, "per": 86400}]', 0, 0),
    ('us_md', '{"days": {"mon": [["08:00","20:00"]], "tue": [["08:00","20:00"]], "wed": [["08:00","20:00"]],
       "thu": [["08:00","20:00"]], "fri": [["08:00","20:00"]], "sat": [["08:00","20:00"]], "sun": [["08:00","20:00"]]}}',
     '[{"max": 3, "per": 86400}]', 0, 0),
    ('uk', '{}', '[]', 259200, 0),
    ('fr', '{"days": {"mon": [["10:00","13:00"],["14:00","20:00"]], "tue": [["10:00","13:00"],["14:00","20:00"]],
       "wed": [["10:00","13:00"],["14:00","20:00"]], "thu": [["10:00","13:00"],["14:00","20:00"]],
       "fri": [["10:00","13:00"],["14:00","20:00"]]}, "holidays": ["fr"]}',
     '[{"max": 4, "per": 2592000}]', 0, 5184000)
  ) AS p(name, windows, caps, after_abandoned, after_refusal) $$;

-- FNV-1a (32 bit) jitter hash over the lead id, the class name and k (big-endian).
CREATE FUNCTION pg_temp.ref_jitter_hash(lead uuid, class text, k int) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  bytes bytea := decode(replace(lead::text, '-', ''), 'hex') || convert_to(class, 'UTF8') || int4send(k);
  h bigint := 2166136261;
BEGIN
  FOR i IN 0 .. length(bytes) - 1 LOOP
    h := ((h # get_byte(bytes, i)) * 16777619) % 4294967296;
  END LOOP;
  RETURN h;
END $$;

-- The policy's delay after the k-th attempt ending in a class.
CREATE FUNCTION pg_temp.ref_delay(rule jsonb, class text, k int, lead uuid) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  d bigint;
  jitter bigint := round(coalesce((rule ->> 'jitter')::numeric, 0) * 1000);
  factor bigint := round(coalesce((rule -> 'backoff' ->> 'factor')::numeric, 2) * 1000);
  top bigint;
BEGIN
  IF rule ? 'delays' THEN
    d := pg_temp.ref_seconds(rule -> 'delays' -> (least(k, jsonb_array_length(rule -> 'delays')) - 1));
  ELSE
    d := pg_temp.ref_seconds(rule -> 'backoff' -> 'initial');
    top := pg_temp.ref_seconds(rule -> 'backoff' -> 'max');
    FOR i IN 2 .. k LOOP
      EXIT WHEN d >= top;
      d := least(d * factor / 1000, top);
    END LOOP;
  END IF;
  IF jitter = 0 THEN RETURN d; END IF;
  RETURN d + d * jitter * (pg_temp.ref_jitter_hash(lead, class, k) % 2001 - 1000) / 1000000;
END $$;

-- Is the instant open in every zone under every window set?
CREATE FUNCTION pg_temp.ref_open_everywhere(t timestamptz, zones text[], sets jsonb[]) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT NOT EXISTS (SELECT 1 FROM unnest(zones) AS z, unnest(sets) AS w
                      WHERE NOT pg_temp.ref_open(w, t AT TIME ZONE z)) $$;

-- The zone's UTC offset at an instant.
CREATE FUNCTION pg_temp.ref_offset(t timestamptz, z text) RETURNS interval LANGUAGE sql STABLE AS $$
  SELECT (t AT TIME ZONE z) - (t AT TIME ZONE 'UTC') $$;

-- The first instant in [lo, hi) open everywhere, from candidates: lo, every
-- offset change (bisection between UTC midnights), and every instant whose
-- local time in some zone is midnight or a range start.
CREATE FUNCTION pg_temp.ref_first_open(lo timestamptz, hi timestamptz, zones text[], sets jsonb[])
RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
DECLARE
  starts interval[];
  cands timestamptz[] := ARRAY[lo];
  offs interval[];
  z text;
  day timestamptz;
  a timestamptz;
  b timestamptz;
  m timestamptz;
  d date;
  s interval;
  o interval;
  c timestamptz;
BEGIN
  SELECT array_agg(DISTINCT x) INTO starts FROM (
    SELECT interval '0' AS x
    UNION SELECT (r ->> 0)::interval FROM unnest(sets) AS w,
      jsonb_each(coalesce(w -> 'days', '{}')) AS e, jsonb_array_elements(e.value) AS r) AS q;
  FOREACH z IN ARRAY zones LOOP
    offs := ARRAY[pg_temp.ref_offset(lo, z)];
    day := date_trunc('day', lo, 'UTC');
    WHILE day < hi LOOP
      a := day;
      b := day + interval '1 day';
      IF pg_temp.ref_offset(a, z) <> pg_temp.ref_offset(b, z) THEN
        WHILE b - a > interval '1 second' LOOP
          m := a + (b - a) / 2;
          IF pg_temp.ref_offset(m, z) = pg_temp.ref_offset(a, z) THEN a := m; ELSE b := m; END IF;
        END LOOP;
        b := date_trunc('second', b);  -- changes happen on whole seconds
        IF pg_temp.ref_offset(b - interval '1 microsecond', z) = pg_temp.ref_offset(b, z) THEN
          b := b + interval '1 second';
        END IF;
        cands := cands || b;
        offs := offs || pg_temp.ref_offset(b, z);
      END IF;
      day := day + interval '1 day';
    END LOOP;
    FOR d IN SELECT generate_series((lo AT TIME ZONE z)::date - 1, (hi AT TIME ZONE z)::date, '1 day')::date LOOP
      FOREACH s IN ARRAY starts LOOP
        FOREACH o IN ARRAY offs LOOP
          c := ((d + s) AT TIME ZONE 'UTC') - o;
          IF (c AT TIME ZONE z) = d + s THEN cands := cands || c; END IF;
        END LOOP;
      END LOOP;
    END LOOP;
  END LOOP;
  FOR c IN SELECT DISTINCT x FROM unnest(cands) AS x WHERE x >= lo AND x < hi ORDER BY x LOOP
    IF pg_temp.ref_open_everywhere(c, zones, sets) THEN RETURN c; END IF;
  END LOOP;
  RETURN NULL;
END $$;

-- The straightforward version of dialer.next_attempt_at (same parameters).
CREATE FUNCTION pg_temp.ref_next_attempt_at(p_lead_id uuid, p_retry_policy jsonb, p_zones text[],
  p_attempts int, p_last_outcome text, p_class_attempts int, p_last_attempt_at timestamptz,
  p_recent_calls timestamptz[], p_last_abandoned_at timestamptz, p_last_refusal_at timestamptz,
  p_calling_windows jsonb, p_contact_windows jsonb, p_rule_packs text[], p_suppressed boolean,
  p_artificial_voice boolean, p_has_consent boolean, p_campaign_starts_at timestamptz,
  p_campaign_ends_at timestamptz, p_now timestamptz)
RETURNS timestamptz LANGUAGE plpgsql STABLE AS $$
DECLARE
  rule jsonb;
  class_max int;
  lower timestamptz := p_now;
  calls timestamptz[];
  cap jsonb;
  pack record;
  abandoned timestamptz := p_last_abandoned_at;
  sets jsonb[] := '{}';
  lim timestamptz;
  chunk timestamptz;
  span interval := interval '1 day';
  found timestamptz;
BEGIN
  IF p_suppressed OR (p_artificial_voice AND NOT p_has_consent) THEN RETURN NULL; END IF;
  IF p_attempts > 0 THEN
    IF p_last_outcome IS NULL THEN RETURN NULL; END IF;  -- the last attempt is in flight
    IF p_last_outcome IN ('completed', 'converted', 'refused', 'do_not_call', 'invalid_number')
       OR coalesce(p_retry_policy -> 'terminal', '[]') ? p_last_outcome THEN RETURN NULL; END IF;
    IF p_attempts >= coalesce((p_retry_policy ->> 'max_attempts')::int, 10) THEN RETURN NULL; END IF;
    rule := p_retry_policy -> 'classes' -> p_last_outcome;
    IF rule IS NULL THEN RETURN NULL; END IF;
    class_max := coalesce((rule ->> 'max_attempts')::int,
                          CASE WHEN rule ? 'delays' THEN jsonb_array_length(rule -> 'delays') + 1 END);
    IF p_class_attempts >= class_max THEN RETURN NULL; END IF;
    lower := greatest(lower, p_last_attempt_at + pg_temp.ref_delay(rule, p_last_outcome,
                                                                   p_class_attempts, p_lead_id) * interval '1 second');
  END IF;
  IF coalesce(cardinality(p_zones), 0) = 0 THEN RETURN NULL; END IF;
  lower := greatest(lower, p_campaign_starts_at);
  -- Every recent call counts (a multiset); the last attempt once, when not listed.
  SELECT array_agg(c ORDER BY c DESC) INTO calls
    FROM (SELECT unnest(p_recent_calls) AS c
          UNION ALL SELECT p_last_attempt_at
           WHERE p_last_attempt_at IS NOT NULL
             AND NOT coalesce(p_last_attempt_at = ANY (p_recent_calls), false)) AS q
   WHERE c IS NOT NULL;
  IF calls IS NOT NULL THEN
    lower := greatest(lower, calls[1] + pg_temp.ref_seconds(coalesce(p_retry_policy -> 'min_gap', '0'))
                                        * interval '1 second');
    FOR cap IN SELECT * FROM jsonb_array_elements(coalesce(p_retry_policy -> 'caps', '[]'))
               UNION ALL SELECT c FROM pg_temp.ref_packs() AS p, jsonb_array_elements(p.caps) AS c
                          WHERE p.name = ANY (p_rule_packs) LOOP
      IF cardinality(calls) >= (cap ->> 'max')::int THEN
        lower := greatest(lower, calls[(cap ->> 'max')::int]
                                 + pg_temp.ref_seconds(cap -> 'per') * interval '1 second');
      END IF;
    END LOOP;
  END IF;
  IF p_last_outcome = 'abandoned' THEN abandoned := greatest(abandoned, p_last_attempt_at); END IF;
  FOR pack IN SELECT pg_temp.ref_seconds(coalesce(p_retry_policy -> 'cool_down' -> 'after_abandoned', '0')) AS a,
                     pg_temp.ref_seconds(coalesce(p_retry_policy -> 'cool_down' -> 'after_refusal', '0')) AS r
              UNION ALL SELECT after_abandoned, after_refusal FROM pg_temp.ref_packs()
                         WHERE name = ANY (p_rule_packs) LOOP
    lower := greatest(lower, abandoned + pack.a * interval '1 second',
                      p_last_refusal_at + pack.r * interval '1 second');
  END LOOP;
  IF lower >= p_campaign_ends_at THEN RETURN NULL; END IF;
  lim := least(lower + interval '370 days', p_campaign_ends_at);
  SELECT coalesce(array_agg(windows), '{}') INTO sets FROM pg_temp.ref_packs() WHERE name = ANY (p_rule_packs);
  IF p_artificial_voice THEN
    sets := sets || coalesce((SELECT array_agg(ai_windows) FROM pg_temp.ref_packs()
                               WHERE name = ANY (p_rule_packs) AND ai_windows IS NOT NULL), '{}');
  END IF;
  IF p_calling_windows IS NOT NULL THEN sets := sets || p_calling_windows; END IF;
  IF p_contact_windows IS NOT NULL THEN sets := sets || p_contact_windows; END IF;
  -- Search a day, then two, four... (most answers are close to the bound).
  chunk := lower;
  WHILE chunk < lim LOOP
    found := pg_temp.ref_first_open(chunk, least(chunk + span, lim), p_zones, sets);
    IF found IS NOT NULL THEN RETURN found; END IF;
    chunk := least(chunk + span, lim);
    span := least(span * 2, interval '64 days');
  END LOOP;
  RETURN NULL;
END $$;
-- END schedule reference

-- Random inputs --------------------------------------------------------------
SELECT setseed(0.20240310);

-- Random calling windows near an instant: ranges on a 15-minute grid, some past
-- midnight or to 24:00, blackout dates, holiday calendars.
CREATE FUNCTION pg_temp.rand_windows(near timestamptz) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  k text;
  days jsonb := '{}';
  ranges jsonb;
  s int;
  e int;
  blackout jsonb := '[]';
  hol jsonb := '[]';
  doc jsonb := '{}';
BEGIN
  IF random() < 0.8 THEN
    FOREACH k IN ARRAY ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] LOOP
      ranges := '[]';
      FOR i IN 1 .. (CASE WHEN random() < 0.15 THEN 0 ELSE 1 + floor(random() * 2)::int END) LOOP
        s := floor(random() * 96)::int * 15;
        e := CASE WHEN random() < 0.1 THEN 1440 ELSE (1 + floor(random() * 96)::int) * 15 END;
        IF e = s THEN e := 1440; END IF;
        ranges := ranges || jsonb_build_array(jsonb_build_array(
          to_char(make_interval(mins => s), 'HH24:MI'),
          CASE WHEN e = 1440 THEN '24:00' ELSE to_char(make_interval(mins => e), 'HH24:MI') END));
      END LOOP;
      days := days || jsonb_build_object(k, ranges);
    END LOOP;
    doc := jsonb_build_object('days', days);
  END IF;
  FOR i IN 1 .. floor(random() * 4)::int LOOP
    blackout := blackout || to_jsonb(to_char(near::date + floor(random() * 13)::int - 2, 'YYYY-MM-DD'));
  END LOOP;
  IF random() < 0.1 THEN hol := hol || '"fr"'; END IF;
  IF random() < 0.05 THEN hol := hol || '"us_federal"'; END IF;
  RETURN doc || jsonb_build_object('blackout_dates', blackout, 'holidays', hol);
END $$;

-- A random retry policy.
CREATE FUNCTION pg_temp.rand_policy() RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  k text;
  p jsonb := jsonb_build_object('max_attempts', 2 + floor(random() * 9)::int);
  classes jsonb := '{}';
  rule jsonb;
  caps jsonb := '[]';
  ini int;
BEGIN
  IF random() < 0.4 THEN p := p || jsonb_build_object('min_gap', floor(random() * 21600)::int || 's'); END IF;
  FOR i IN 1 .. floor(random() * 3)::int LOOP
    caps := caps || jsonb_build_object('max', 1 + floor(random() * 5)::int,
                                       'per', 3600 + floor(random() * 30 * 86400)::int);
  END LOOP;
  p := p || jsonb_build_object('caps', caps);
  IF random() < 0.3 THEN
    p := p || jsonb_build_object('cool_down', jsonb_build_object(
      'after_abandoned', floor(random() * 4 * 86400)::int, 'after_refusal', floor(random() * 90) || 'd'));
  END IF;
  FOREACH k IN ARRAY ARRAY['no_answer', 'busy', 'voicemail', 'failed', 'transport_error',
                           'human_incomplete', 'callback', 'abandoned', 'unknown'] LOOP
    CONTINUE WHEN random() > 0.85;
    IF random() < 0.5 THEN
      rule := jsonb_build_object('delays', (SELECT jsonb_agg(floor(random() * 2 * 86400)::int)
                                              FROM generate_series(1, 1 + floor(random() * 3)::int)));
    ELSE
      ini := 1 + floor(random() * 14400)::int;
      rule := jsonb_build_object('backoff', jsonb_build_object('initial', ini || 's',
        'factor', (1 + floor(random() * 3)::int) + 0.5, 'max', ini * (1 + floor(random() * 20)::int)));
    END IF;
    IF random() < 0.5 THEN rule := rule || jsonb_build_object('jitter', floor(random() * 6) / 10); END IF;
    IF random() < 0.5 THEN rule := rule || jsonb_build_object('max_attempts', 2 + floor(random() * 7)::int); END IF;
    classes := classes || jsonb_build_object(k, rule);
  END LOOP;
  RETURN p || jsonb_build_object('classes', classes);
END $$;

-- Instants near DST changes of the test zones, where mistakes hide.
CREATE TEMP TABLE anchors AS SELECT unnest(ARRAY[
  '2024-03-10 07:00Z', '2024-11-03 06:00Z', '2025-03-09 07:00Z', '2024-03-31 01:00Z', '2024-10-27 01:00Z',
  '2024-04-06 15:00Z', '2024-10-05 15:30Z', '2024-04-06 14:00Z', '2024-09-28 14:00Z', '2024-03-10 09:00Z',
  '2023-03-26 01:00Z', '2026-11-01 06:00Z']::timestamptz[]) AS at;

CREATE TEMP TABLE cases AS
SELECT i, md5(i::text)::uuid AS lead, now_at,
       -- Candidate zones of one number are usually neighbours (a region), sometimes not.
       (SELECT array_agg(z) FROM (SELECT CASE WHEN random() < 0.05 THEN (ARRAY['America/New_York', 'Europe/Paris',
          'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/Phoenix', 'Europe/London',
          'America/Chicago', 'America/Los_Angeles', 'Asia/Tokyo', 'America/St_Johns', 'Asia/Kathmandu',
          'UTC'])[1 + floor(random() * 13)::int]
          ELSE (ARRAY[ARRAY['America/New_York', 'America/Chicago', 'America/Phoenix', 'America/Los_Angeles', 'America/St_Johns'],
                      ARRAY['Europe/Paris', 'Europe/London', 'UTC', 'Europe/Paris', 'Europe/London'],
                      ARRAY['Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Tokyo', 'Asia/Kolkata', 'Asia/Kathmandu'],
                      ARRAY['Australia/Lord_Howe', 'Pacific/Chatham', 'Australia/Lord_Howe', 'Pacific/Chatham',
                            'Australia/Lord_Howe']])[region][1 + floor(random() * 5)::int] END AS z
          FROM generate_series(1, CASE WHEN random() < 0.6 THEN 1 ELSE 2 END) WHERE i > 0) AS q) AS zones,
       pg_temp.rand_policy() AS policy,
       -- Every 1000th case: weekend-only campaign windows under the French (weekdays) pack: never.
       CASE WHEN i % 1000 = 0 THEN '{"days": {"sat": [["10:00", "12:00"]]}}'
            WHEN random() < 0.7 THEN pg_temp.rand_windows(now_at) END AS campaign_windows,
       CASE WHEN random() < 0.2 THEN pg_temp.rand_windows(now_at) END AS contact_windows,
       CASE WHEN i % 1000 = 0 THEN '{fr}' ELSE
       (SELECT coalesce(array_agg(p), '{}') FROM unnest(ARRAY['us_federal', 'us_fl', 'us_ok', 'us_md', 'uk', 'fr']) AS p
         WHERE random() < 0.12 AND i > 0) END AS packs,
       random() < 0.03 AS suppressed, random() < 0.8 AS artificial, random() < 0.93 AS consent,
       CASE WHEN random() < 0.1 THEN now_at + random() * interval '5 days' END AS starts_at,
       CASE WHEN random() < 0.2 THEN now_at + random() * interval '30 days' END AS ends_at,
       random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
  FROM (SELECT i, CASE WHEN random() < 0.35
                    THEN (SELECT at FROM anchors WHERE i > 0 ORDER BY random() LIMIT 1) + (random() - 0.5) * interval '12 hours'
                    ELSE timestamptz '2020-01-01' + random() * interval '12 years' END AS now_at
               , 1 + floor(random() * 4)::int AS region
          FROM generate_series(1, 10000) AS i) AS s;

-- Attempt summaries: 25% first attempts, the rest with a last outcome and history.
CREATE TEMP TABLE histories AS
SELECT i, attempts, outcome, class_attempts, last_at,
       -- Calls to the number from any campaign, some of them very recent.
       (SELECT array_agg(now_at - random() * CASE WHEN g = 1 THEN interval '6 hours' ELSE interval '31 days' END)
          FROM generate_series(1, floor(r3 * 7)::int) AS g WHERE last_at IS NOT NULL) AS recent,
       CASE WHEN r4 < 0.15 THEN now_at - random() * interval '4 days' END AS abandoned_at,
       CASE WHEN r5 < 0.15 THEN now_at - random() * interval '70 days' END AS refusal_at
  FROM (SELECT c.*, CASE WHEN r1 < 0.25 THEN 0 ELSE 1 + floor(r2 * 5)::int END AS attempts,
               CASE WHEN r1 >= 0.25 THEN (ARRAY['no_answer', 'busy', 'voicemail', 'failed', 'transport_error',
                 'human_incomplete', 'callback', 'abandoned', 'unknown', 'completed', 'converted', 'refused',
                 'do_not_call', 'invalid_number'])[1 + floor(random() * (CASE WHEN random() < 0.8 THEN 9 ELSE 14 END))::int] END AS outcome,
               CASE WHEN r1 >= 0.25 THEN now_at - random() * interval '3 days' END AS last_at
          FROM cases AS c) AS q,
       LATERAL (SELECT CASE WHEN attempts = 0 THEN 0 WHEN random() < 0.7 THEN 1
                            ELSE 1 + floor(random() * attempts)::int END AS class_attempts) AS ca;

CREATE TEMP TABLE answers AS
SELECT c.i,
       dialer.next_attempt_at(c.lead, c.policy, c.zones, h.attempts, h.outcome, h.class_attempts, h.last_at,
         h.recent, h.abandoned_at, h.refusal_at, c.campaign_windows, c.contact_windows, c.packs, c.suppressed,
         c.artificial, c.consent, c.starts_at, c.ends_at, c.now_at) AS fast,
       (dialer.explain_next_attempt(c.lead, c.policy, c.zones, h.attempts, h.outcome, h.class_attempts, h.last_at,
         h.recent, h.abandoned_at, h.refusal_at, c.campaign_windows, c.contact_windows, c.packs, c.suppressed,
         c.artificial, c.consent, c.starts_at, c.ends_at, c.now_at) ->> 'next_attempt_at')::timestamptz AS explained,
       dialer.explain_next_attempt(c.lead, c.policy, c.zones, h.attempts, h.outcome, h.class_attempts, h.last_at,
         h.recent, h.abandoned_at, h.refusal_at, c.campaign_windows, c.contact_windows, c.packs, c.suppressed,
         c.artificial, c.consent, c.starts_at, c.ends_at, c.now_at) ->> 'reason' AS explained_reason,
       dialer._decide(ROW(c.lead, c.policy, c.zones, h.attempts, h.outcome, h.class_attempts, h.last_at,
         h.recent, h.abandoned_at, h.refusal_at, c.campaign_windows, c.contact_windows, c.packs, c.suppressed,
         c.artificial, c.consent, c.starts_at, c.ends_at)::dialer.schedule_inputs, c.now_at)::text AS decision,
       pg_temp.ref_next_attempt_at(c.lead, c.policy, c.zones, h.attempts, h.outcome, h.class_attempts, h.last_at,
         h.recent, h.abandoned_at, h.refusal_at, c.campaign_windows, c.contact_windows, c.packs, c.suppressed,
         c.artificial, c.consent, c.starts_at, c.ends_at, c.now_at) AS slow
  FROM cases AS c JOIN histories AS h USING (i);

SELECT diag(format('case %s: fast %s, straightforward %s', i, fast, slow))
  FROM answers WHERE fast IS DISTINCT FROM slow ORDER BY i LIMIT 5;
SELECT is((SELECT count(*) FROM answers WHERE fast IS DISTINCT FROM slow), 0::bigint,
          'dialer.next_attempt_at agrees with the straightforward SQL version on 10,000 random cases');
SELECT is((SELECT count(*) FROM answers WHERE fast IS DISTINCT FROM explained), 0::bigint,
          'explain_next_attempt gives the same instant as next_attempt_at');
SELECT is((SELECT count(*) FROM answers
            WHERE fast IS DISTINCT FROM nullif(split_part(btrim(decision, '()'), ',', 1), '')::timestamptz), 0::bigint,
          'the queue''s lean _decide gives the same instant as next_attempt_at');
SELECT is((SELECT count(*) FROM answers
            WHERE explained_reason IS DISTINCT FROM split_part(btrim(decision, '()'), ',', 2)), 0::bigint,
          'and the same reason as explain_next_attempt');
SELECT is((SELECT count(*) FROM answers), 10000::bigint, 'all 10,000 cases were decided');
SELECT cmp_ok((SELECT count(*) FROM answers WHERE fast IS NOT NULL), '>', 4000::bigint,
              'the generator schedules most cases');
SELECT cmp_ok((SELECT count(*) FROM answers WHERE fast IS NULL), '>', 1000::bigint,
              'and sends many to never');
SELECT is((SELECT count(*) FROM answers WHERE i % 1000 = 0 AND fast IS NULL AND slow IS NULL), 10::bigint,
          'windows that never meet the law''s give never in both versions');
SELECT * FROM finish();
ROLLBACK;
