#!/usr/bin/env bash
# Demo step 3: a simulated dialing day. Eight voice-worker connections claim calls
# (dialer.claim_calls) and report outcomes (dialer.complete_call) with a realistic
# outcome mix on a simulated clock that runs ~1,300x real time from Monday 08:00 New
# York; one claim in 200 is "lost" by a crashing worker and recovered by the lease
# reaper. Every claim is re-checked against the calling rules in the called party's
# own time zone, so Sydney and Mumbai wait for their morning.
set -euo pipefail
SIM_START=$(date -d '2026-11-23 13:00:00 UTC' +%s)
SPEED=${DEMO_SPEED:-1300}
SECONDS_REAL=${DEMO_SECONDS:-45}
echo
echo "=== 3. A simulated dialing day: 8 workers, ${SECONDS_REAL}s real = ~$((SECONDS_REAL * SPEED / 3600)) h simulated ==="
build/dialer_workers --campaign d0000000-0000-0000-0000-0000000000c1 --workers 8 --seconds "$SECONDS_REAL" \
  --lease '15 minutes' --sim-start "$SIM_START" --speed "$SPEED" --abandon-rate 0.005 --reap-every 1 --progress |
  sed 's/^workers=/  done: workers=/'
END=$((SIM_START + SECONDS_REAL * SPEED))
psql -X -q -v ON_ERROR_STOP=1 -c "CREATE TABLE demo_clock AS SELECT to_timestamp($END) AS sim_now"
