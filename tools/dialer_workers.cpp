// dialer_workers: N voice-worker connections (libpq, one thread each) that claim
// calls with dialer.claim_calls and report outcomes with dialer.complete_call, on an
// optional simulated clock. Used by the concurrency test, `make bench` and the demo.
//
//   dialer_workers --campaign UUID [--workers 16] [--seconds 10] [--max-calls 1]
//                  [--lease '2 minutes'] [--sim-start EPOCH --speed X] [--seed N]
//                  [--claim-fn dialer.claim_calls] [--complete-fn dialer.complete_call]
//                  [--progress] [--abandon-rate 0.01] [--reap-every SECONDS] [--no-prepare]
//                  [--warmup SECONDS] [--server-now]
// --server-now passes p_now := now() (the transaction's start on the server) instead of
// the client's (simulated) clock, as a worker that leaves p_now at its default does.
// The summary also counts failed statements by SQLSTATE (sqlstates=40P01:2,...) and by
// statement (failed_by=claim/40P01:1,complete/40P01:1,...); a
// worker whose connection is lost (a crashed server) stops.
// Connection settings come from the libpq environment (PGHOST, PGPORT, PGDATABASE).
// Workers prepare their two statements once per connection, as PostgREST and most
// drivers do; --no-prepare sends each call with its text (a transaction-mode PgBouncer
// older than 1.21 cannot keep prepared statements).
// Prints one summary line: workers, seconds, claimed, completed, errors, completions/s,
// claim and completion latencies.
// --warmup W runs W seconds before the measured --seconds and leaves them out of
// rate= (measured_completed= counts the measured window only): a new connection's first
// cycles load the extension's libraries, fill the catalog caches and plan every
// statement, which is not the steady state of a worker pool that keeps its connections
// (as pgbench's tps leaves out connection time). The other counters cover the whole run.
// The summary ends with the client-side latency (wall time of the round trip, in ms) of
// each claim and each completion statement started in the measured window, failed and
// empty claims included: claim_latency_n=N claim_p50_ms=X claim_p99_ms=Y, and the same
// with complete_ (nearest-rank percentiles; "-" when no call was measured).
#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
  std::string campaign;
  int workers = 16;
  double seconds = 10;
  double warmup = 0;  // seconds run before the measured window, left out of rate=
  int max_calls = 1;
  std::string lease = "2 minutes";
  double sim_start = 0;  // epoch seconds; 0 = use the real clock
  double speed = 1;
  unsigned seed = 1;
  std::string claim_fn = "dialer.claim_calls";
  std::string complete_fn = "dialer.complete_call";
  bool progress = false;
  double abandon_rate = 0;  // share of claims a worker "crashes" on and never reports
  double reap_every = 0;    // run dialer.reap_expired_claims every N real seconds (0: never)
  bool prepare = true;      // prepare the claim and complete statements per connection
  bool server_now = false;  // p_now := now() on the server instead of the client's clock
};

struct Totals {
  std::atomic<long> claimed{0};
  std::atomic<long> completed{0};
  std::atomic<long> errors{0};
  std::atomic<long> empty_claims{0};
  std::atomic<long> abandoned{0};
  std::atomic<long> reaped{0};
  std::atomic<bool> stop{false};
  std::atomic<int> running{0};  // workers not yet finished (the run ends early at 0)
  std::mutex sqlstate_mutex;
  std::map<std::string, long> sqlstates;  // failed statements by SQLSTATE
  std::map<std::string, long> failed_by;  // failed statements by statement/SQLSTATE
  std::mutex latency_mutex;
  std::vector<double> claim_ms;     // per claim round trip in the measured window
  std::vector<double> complete_ms;  // per completion round trip in the measured window
};

// Latencies one worker measured, merged into Totals when it ends. Why per worker: a
// shared vector would take a lock on every call of every worker.
struct Latencies {
  std::vector<double> claim_ms;
  std::vector<double> complete_ms;
};

// One simulated call result: the provider and its raw outcome (Retell's
// disconnection_reason; the campaign goal is reported as the class "converted"
// through the generic provider "dialer"), and the range of talk seconds.
struct Outcome {
  const char* provider;
  const char* reason;
  int weight;
  int min_seconds;
  int max_seconds;
};

// A realistic outbound mix: most calls are not answered, a quarter reach a person.
const Outcome kMix[] = {
    {"retell", "dial_no_answer", 34, 0, 0},      {"retell", "dial_busy", 8, 0, 0},
    {"retell", "voicemail_reached", 17, 15, 45}, {"retell", "user_hangup", 20, 20, 240},
    {"retell", "agent_hangup", 9, 60, 420},      {"dialer", "converted", 6, 90, 480},
    {"retell", "dial_failed", 4, 0, 0},          {"retell", "invalid_destination", 1, 0, 0},
    {"retell", "marked_as_spam", 1, 0, 0},
};

// Picks an outcome from kMix by weight.
const Outcome& PickOutcome(std::mt19937& rng) {
  int total = 0;
  for (const auto& o : kMix) total += o.weight;
  int r = std::uniform_int_distribution<int>(0, total - 1)(rng);
  for (const auto& o : kMix) {
    if (r < o.weight) return o;
    r -= o.weight;
  }
  return kMix[0];
}

// Seconds since the epoch on the (possibly simulated) clock.
double Now(const Options& opt, std::chrono::steady_clock::time_point start) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (opt.sim_start > 0) return opt.sim_start + elapsed * opt.speed;
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The simulated clock as "YYYY-MM-DD HH:MM UTC" (or "real time").
std::string SimClock(const Options& opt, std::chrono::steady_clock::time_point start) {
  if (opt.sim_start <= 0) return "real time";
  std::time_t t = static_cast<std::time_t>(Now(opt, start));
  char buf[32];
  std::tm tm_utc{};
  gmtime_r(&t, &tm_utc);
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm_utc);
  return buf;
}

// Checks a result: the result, or nullptr after counting (and reporting) an error.
PGresult* Checked(PGconn* conn, PGresult* res, Totals& totals, const std::string& what = "other") {
  if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK) {
    totals.errors++;
    if (totals.errors < 5) std::fprintf(stderr, "dialer_workers: %s", PQerrorMessage(conn));
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    {
      std::lock_guard<std::mutex> lock(totals.sqlstate_mutex);
      totals.sqlstates[state != nullptr ? state : "none"]++;
      totals.failed_by[what + "/" + (state != nullptr ? state : "none")]++;
    }
    PQclear(res);
    return nullptr;
  }
  return res;
}

// Runs a parameterised statement: the prepared statement `name` when it is not empty,
// else the text sql. Returns the result or nullptr (counted as an error).
PGresult* Exec(PGconn* conn, const std::string& name, const std::string& sql,
               const std::vector<std::string>& params, Totals& totals, const std::string& what) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  const int n = static_cast<int>(values.size());
  PGresult* res =
      name.empty() ? PQexecParams(conn, sql.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0)
                   : PQexecPrepared(conn, name.c_str(), n, values.data(), nullptr, nullptr, 0);
  return Checked(conn, res, totals, what);
}

// Prepares sql as statement name on conn; false (an error counted) when it fails.
bool Prepare(PGconn* conn, const char* name, const std::string& sql, Totals& totals) {
  PGresult* res = Checked(conn, PQprepare(conn, name, sql.c_str(), 0, nullptr), totals);
  if (res == nullptr) return false;
  PQclear(res);
  return true;
}

// Milliseconds of wall time from `from` to now.
double MillisSince(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - from).count();
}

// Appends one worker's latencies to the run's.
void MergeLatencies(const Latencies& lat, Totals& totals) {
  std::lock_guard<std::mutex> lock(totals.latency_mutex);
  totals.claim_ms.insert(totals.claim_ms.end(), lat.claim_ms.begin(), lat.claim_ms.end());
  totals.complete_ms.insert(totals.complete_ms.end(), lat.complete_ms.begin(),
                            lat.complete_ms.end());
}

// One worker: claim, "place" the calls, complete them with a drawn outcome.
void Worker(int id, const Options& opt, Totals& totals,
            std::chrono::steady_clock::time_point start) {
  struct Done {
    Totals& t;
    ~Done() { t.running--; }
  } done_guard{totals};
  PGconn* conn = PQconnectdb("");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::fprintf(stderr, "dialer_workers: connect failed: %s", PQerrorMessage(conn));
    totals.errors++;
    PQfinish(conn);
    return;
  }
  std::mt19937 rng(opt.seed * 7919 + id);
  const std::string worker = "worker-" + std::to_string(id);
  // The clock is the last parameter, left out with --server-now.
  const std::string claim_sql =
      "SELECT call_id FROM " + opt.claim_fn +
      "(p_campaign_id := $1::uuid, p_worker_id := $2, p_max_calls := $3::int, "
      "p_lease := $4::interval, p_now := " +
      (opt.server_now ? "now()" : "to_timestamp($5::float8)") + ")";
  const std::string complete_sql =
      "SELECT " + opt.complete_fn +
      "(p_call_id := $1::uuid, p_outcome := $2, p_provider := $5, "
      "p_duration_seconds := $3::int, p_cost := $4::numeric, p_now := " +
      (opt.server_now ? "now()" : "to_timestamp($6::float8)") + ")";
  std::string claim_name, complete_name;  // empty: send the text each time
  if (opt.prepare) {
    if (!Prepare(conn, "claim", claim_sql, totals) ||
        !Prepare(conn, "complete", complete_sql, totals)) {
      PQfinish(conn);
      return;
    }
    claim_name = "claim";
    complete_name = "complete";
  }
  const auto warm_end = start + std::chrono::duration<double>(opt.warmup);
  auto deadline = warm_end + std::chrono::duration<double>(opt.seconds);
  Latencies lat;
  while (!totals.stop && std::chrono::steady_clock::now() < deadline) {
    if (PQstatus(conn) == CONNECTION_BAD) break;  // the server went away
    char now_text[32];
    std::snprintf(now_text, sizeof now_text, "%.6f", Now(opt, start));
    std::vector<std::string> claim_params = {opt.campaign, worker, std::to_string(opt.max_calls),
                                             opt.lease};
    if (!opt.server_now) claim_params.emplace_back(now_text);
    const auto claim_start = std::chrono::steady_clock::now();
    PGresult* res = Exec(conn, claim_name, claim_sql, claim_params, totals, "claim");
    if (claim_start >= warm_end) lat.claim_ms.push_back(MillisSince(claim_start));
    if (res == nullptr) continue;
    int n = PQntuples(res);
    std::vector<std::string> calls;
    calls.reserve(n);
    for (int i = 0; i < n; ++i) calls.emplace_back(PQgetvalue(res, i, 0));
    PQclear(res);
    totals.claimed += n;
    if (n == 0) {
      totals.empty_claims++;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    for (const auto& call : calls) {
      if (std::uniform_real_distribution<double>(0, 1)(rng) < opt.abandon_rate) {
        totals.abandoned++;  // the worker "crashed": its lease will expire
        continue;
      }
      const Outcome& o = PickOutcome(rng);
      int secs = o.max_seconds > 0
                     ? std::uniform_int_distribution<int>(o.min_seconds, o.max_seconds)(rng)
                     : 0;
      char cost[32];
      std::snprintf(cost, sizeof cost, "%.4f", 0.01 + secs / 60.0 * 0.07);
      std::snprintf(now_text, sizeof now_text, "%.6f", Now(opt, start));
      std::vector<std::string> done_params = {call, o.reason, std::to_string(secs), cost,
                                              o.provider};
      if (!opt.server_now) done_params.emplace_back(now_text);
      const auto done_start = std::chrono::steady_clock::now();
      PGresult* done = Exec(conn, complete_name, complete_sql, done_params, totals, "complete");
      if (done_start >= warm_end) lat.complete_ms.push_back(MillisSince(done_start));
      if (done != nullptr) {
        totals.completed++;
        PQclear(done);
      }
    }
  }
  PQfinish(conn);
  MergeLatencies(lat, totals);
}

// Runs the lease reaper every opt.reap_every seconds on the (simulated) clock until stop.
void Reaper(const Options& opt, Totals& totals, std::chrono::steady_clock::time_point start) {
  PGconn* conn = PQconnectdb("");
  if (PQstatus(conn) != CONNECTION_OK) {
    totals.errors++;
    PQfinish(conn);
    return;
  }
  auto deadline = start + std::chrono::duration<double>(opt.warmup + opt.seconds);
  while (std::chrono::steady_clock::now() < deadline && PQstatus(conn) != CONNECTION_BAD) {
    std::this_thread::sleep_for(std::chrono::duration<double>(opt.reap_every));
    char now_text[32];
    std::snprintf(now_text, sizeof now_text, "%.6f", Now(opt, start));
    PGresult* res = Exec(conn, "",
                         "SELECT (dialer.reap_expired_claims(to_timestamp($1::float8), 100000) "
                         "->> 'expired')::bigint",
                         {now_text}, totals, "reap");
    if (res != nullptr) {
      totals.reaped += std::atol(PQgetvalue(res, 0, 0));
      PQclear(res);
    }
  }
  PQfinish(conn);
}

// Parses --name value pairs into opt; exits with usage on anything unknown.
Options Parse(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value for %s\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--campaign")
      opt.campaign = next();
    else if (a == "--workers")
      opt.workers = std::atoi(next().c_str());
    else if (a == "--seconds")
      opt.seconds = std::atof(next().c_str());
    else if (a == "--warmup")
      opt.warmup = std::atof(next().c_str());
    else if (a == "--max-calls")
      opt.max_calls = std::atoi(next().c_str());
    else if (a == "--lease")
      opt.lease = next();
    else if (a == "--sim-start")
      opt.sim_start = std::atof(next().c_str());
    else if (a == "--speed")
      opt.speed = std::atof(next().c_str());
    else if (a == "--seed")
      opt.seed = static_cast<unsigned>(std::atoi(next().c_str()));
    else if (a == "--claim-fn")
      opt.claim_fn = next();
    else if (a == "--complete-fn")
      opt.complete_fn = next();
    else if (a == "--progress")
      opt.progress = true;
    else if (a == "--abandon-rate")
      opt.abandon_rate = std::atof(next().c_str());
    else if (a == "--reap-every")
      opt.reap_every = std::atof(next().c_str());
    else if (a == "--no-prepare")
      opt.prepare = false;
    else if (a == "--server-now")
      opt.server_now = true;
    else {
      std::fprintf(stderr, "usage: see the header of tools/dialer_workers.cpp\n");
      std::exit(2);
    }
  }
  if (opt.campaign.empty() || opt.workers < 1) {
    std::fprintf(stderr, "--campaign is required\n");
    std::exit(2);
  }
  return opt;
}

// " NAME_latency_n=N NAME_p50_ms=X NAME_p99_ms=Y" for the latencies in ms (sorted here):
// nearest-rank percentiles, "-" for both when there are none.
std::string LatencyFields(const char* name, std::vector<double>& ms) {
  std::sort(ms.begin(), ms.end());
  auto rank =
      [&](double p) {  // nearest rank: the smallest value with at least p of all at or below it
        size_t k = static_cast<size_t>(std::ceil(p * static_cast<double>(ms.size())));
        return ms[k > 0 ? k - 1 : 0];
      };
  char buf[160];
  if (ms.empty())
    std::snprintf(buf, sizeof buf, " %s_latency_n=0 %s_p50_ms=- %s_p99_ms=-", name, name, name);
  else
    std::snprintf(buf, sizeof buf, " %s_latency_n=%zu %s_p50_ms=%.3f %s_p99_ms=%.3f", name,
                  ms.size(), name, rank(0.50), name, rank(0.99));
  return buf;
}

// Seconds from `from` to now.
double SecondsSince(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
}

// Sleeps until the run ends, printing a progress line every 2 s if asked, and returns
// the completions counted when the warm-up ended, with that moment in *measure_start.
long WatchRun(const Options& opt, const Totals& totals, std::chrono::steady_clock::time_point start,
              std::chrono::steady_clock::time_point* measure_start) {
  const auto warm_end = start + std::chrono::duration<double>(opt.warmup);
  const auto deadline = warm_end + std::chrono::duration<double>(opt.seconds);
  long at_warm_end = 0;
  bool warm = opt.warmup <= 0;
  *measure_start = start;
  auto next_progress = start + std::chrono::seconds(2);
  for (auto now = start; now < deadline && totals.running > 0;
       now = std::chrono::steady_clock::now()) {
    if (!warm && now >= warm_end) {
      at_warm_end = totals.completed.load();
      *measure_start = now;
      warm = true;
    }
    if (opt.progress && now >= next_progress) {
      next_progress += std::chrono::seconds(2);
      std::printf(
          "  [%5.1fs] simulated clock %s | claimed %ld, completed %ld, abandoned by crashed "
          "workers %ld, reaped %ld, errors %ld\n",
          SecondsSince(start), SimClock(opt, start).c_str(), totals.claimed.load(),
          totals.completed.load(), totals.abandoned.load(), totals.reaped.load(),
          totals.errors.load());
      std::fflush(stdout);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return at_warm_end;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt = Parse(argc, argv);
  Totals totals;
  totals.running = opt.workers;
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  threads.reserve(opt.workers);
  for (int i = 0; i < opt.workers; ++i)
    threads.emplace_back(Worker, i, std::cref(opt), std::ref(totals), start);
  if (opt.reap_every > 0) threads.emplace_back(Reaper, std::cref(opt), std::ref(totals), start);
  std::chrono::steady_clock::time_point measure_start;
  long at_warm_end = WatchRun(opt, totals, start, &measure_start);
  // Why read the count before joining: workers finish the cycle in hand after the
  // deadline, and those completions fall outside the measured window.
  long measured = totals.completed.load() - at_warm_end;
  double measured_secs = SecondsSince(measure_start);
  for (auto& t : threads) t.join();
  double elapsed = SecondsSince(start);
  std::string sqlstates, failed_by;
  for (const auto& [state, n] : totals.sqlstates)
    sqlstates += (sqlstates.empty() ? "" : ",") + state + ":" + std::to_string(n);
  for (const auto& [what, n] : totals.failed_by)
    failed_by += (failed_by.empty() ? "" : ",") + what + ":" + std::to_string(n);
  std::printf(
      "workers=%d seconds=%.2f claimed=%ld completed=%ld abandoned=%ld reaped=%ld errors=%ld "
      "empty_claims=%ld "
      "measured_seconds=%.2f measured_completed=%ld rate=%.1f sqlstates=%s failed_by=%s%s%s\n",
      opt.workers, elapsed, totals.claimed.load(), totals.completed.load(), totals.abandoned.load(),
      totals.reaped.load(), totals.errors.load(), totals.empty_claims.load(), measured_secs,
      measured, measured / measured_secs, sqlstates.empty() ? "-" : sqlstates.c_str(),
      failed_by.empty() ? "-" : failed_by.c_str(), LatencyFields("claim", totals.claim_ms).c_str(),
      LatencyFields("complete", totals.complete_ms).c_str());
  return totals.errors > 0 ? 1 : 0;
}
