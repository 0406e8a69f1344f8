# pg_dialer — PGXS build, the source of truth (CMakeLists.txt only mirrors it).
#
#   make              build the module and the install script
#   make install      install into the PostgreSQL that pg_config names
#   make test         everything: deps, -Werror build, install, throwaway cluster,
#                     pg_regress, pgTAP (pg_prove), C++ unit tests; one summary
#   make demo         the main job: the campaign demo on a throwaway cluster
#   make bench        benchmarks (ratios against baselines in the same run)
#   make unit         C++ unit tests only (no database)
#   make fuzz         libFuzzer targets for a bounded time
#   make types        regenerate clients/typescript/'s TypeScript types from the SQL

EXTENSION   = pg_dialer
# The version lives in one place: pg_dialer.control.
EXTVERSION := $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" pg_dialer.control)
MODULE_big  = pg_dialer
PG_CONFIG  ?= pg_config

# Pure C++ cores: every folder under src/ except the Postgres boundary src/pg.
CORE_DIRS    := $(filter-out src/pg,$(patsubst %/,%,$(dir $(wildcard src/*/))))
CORE_SRCS    := $(sort $(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.cpp)))
CORE_OBJS    := $(CORE_SRCS:.cpp=.o)
BOUNDARY_SRCS := $(sort $(wildcard src/pg/*.cpp))
BOUNDARY_OBJS := $(BOUNDARY_SRCS:.cpp=.o)
OBJS = $(CORE_OBJS) $(BOUNDARY_OBJS)

# The install script is assembled from one file per feature (sql_src/NN_*.sql, in
# order), so each feature owns its SQL; the assembled script is a build product.
SQL_PARTS := $(sort $(wildcard sql_src/*.sql))
# Parts and upgrade templates may include a file ("-- @include data/rule_packs.json")
# or one function's definition from sql_src/ ("-- @function FILE NAME"), so an upgrade
# never carries a second copy: tools/assemble_sql.awk. A released template's directive may
# be pinned to the definition as released: sql_upgrade/objects/<name>/<version>.sql.
SQL_INCLUDES := data/rule_packs.json tools/assemble_sql.awk $(wildcard sql_upgrade/objects/*/*.sql)
SQL_INCLUDE = awk -f tools/assemble_sql.awk
# sql_upgrade/: an upgrade script for every release (X--Y.sql), or a template (X--Y.sql.in)
# assembled into the top directory like the install script. Only the current install
# script ships (as pgvector does): earlier releases' install scripts are built from the
# commits in sql_upgrade/releases for the tests (tools/release_sql.sh, scripts/cluster.sh).
UPGRADE_TEMPLATES := $(wildcard sql_upgrade/$(EXTENSION)--*--*.sql.in)
DATA_built = $(EXTENSION)--$(EXTVERSION).sql $(notdir $(UPGRADE_TEMPLATES:.sql.in=.sql))
DATA       = $(wildcard sql_upgrade/$(EXTENSION)--*--*.sql)

# `make installcheck` works against any server PGHOST/PGPORT/PGUSER name (a superuser):
# pg_regress creates contrib_regression; regress_setup adds the Supabase roles that are
# missing, the auth schema and supabase/migrations/ (listed by REGRESS_PREP), which
# create the extension; regress_teardown drops the roles regress_setup created.
REGRESS_TESTS = $(filter-out regress_setup regress_teardown,$(sort $(basename $(notdir $(wildcard sql/*.sql)))))
REGRESS       = regress_setup $(REGRESS_TESTS) regress_teardown
REGRESS_OPTS  = --encoding=UTF8
REGRESS_PREP  = build/regress_migrations.sql
# Isolation specs (specs/*.spec, expected/*.out): two-session interleavings of the queue
# (claim, complete, reap, stop, pause) under PostgreSQL's isolation tester. `make
# installcheck` runs them after pg_regress (PGXS); `make isolationcheck` runs them alone.
# pg_isolation_regress makes a fresh isolation_regression database; --load-extension
# creates pg_dialer in it (the queue needs no Supabase role: the specs run as the
# superuser, which bypasses row-level security like service_role); each spec's setup
# makes its campaign and its teardown deletes the tenant.
ISOLATION      = $(sort $(basename $(notdir $(wildcard specs/*.spec))))
ISOLATION_OPTS = --load-extension=pg_dialer

EXTRA_CLEAN = output_iso $(DATA_built) $(OBJS:.o=.d) build/generated build/unit_tests build/dialer_workers build/fuzz results regression.diffs regression.out

WERROR ?=
ifneq ($(WERROR),)
WERROR_FLAG = -Werror
endif

COMMON_CXXFLAGS = -std=c++17 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden \
                  -Wextra -Wno-unused-parameter -MMD -MP $(WERROR_FLAG)
# Postgres 15 headers use `register` (removed in C++17) and designated-style structs.
PG_CXXFLAGS = $(COMMON_CXXFLAGS) -Isrc -Ibuild/generated -Wno-register -Wno-missing-field-initializers
# Why: before PostgreSQL 16 PGDLLEXPORT is empty, so with -fvisibility=hidden the
# magic block and pg_finfo_* records would not be exported. Give it the default
# visibility; test/check_exports.sh proves the symbols with nm -D.
PG_CPPFLAGS = '-DPGDLLEXPORT=__attribute__((visibility("default")))' -DPG_DIALER_VERSION='"$(EXTVERSION)"'
# Where the server reads time zones when built --with-system-tzdata (else its share/timezone,
# found at run time): the scheduler reads the same zone files (src/pg/module.cpp).
PG_SYSTEM_TZDATA := $(shell $(PG_CONFIG) --configure | tr ' ' '\n' | sed -n "s/^'--with-system-tzdata=\(.*\)'$$/\1/p")
ifneq ($(PG_SYSTEM_TZDATA),)
PG_CPPFLAGS += -DPG_SYSTEM_TZDATA='"$(PG_SYSTEM_TZDATA)"'
endif
# Libraries the cores link against (used for the module and the unit tests).
CORE_LIBS = -lphonenumber -lprotobuf -licui18n -licuuc
SHLIB_LINK += $(CORE_LIBS) -lstdc++

# Why: PGXS also compiles each .cpp to LLVM bitcode with clang using only its own
# flags (no -std=c++17, no PG_CXXFLAGS). JIT-inlining our C++ buys nothing, so the
# bitcode step is turned off for this module; `override` beats Makefile.global.
override with_llvm = no

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Cores are compiled without the server include directory and with the purity
# header forced in: including postgres.h from a core is a build error.
CORE_CXXFLAGS = $(COMMON_CXXFLAGS) -O2 -g -Wall -Isrc -include src/common/pure_core.hpp
# The built-in rule packs compiled into the library as a string literal: the packs a
# database whose schema predates the rule-pack tables (an older release's SQL served by
# this library until ALTER EXTENSION UPDATE) is held to. One source: data/rule_packs.json.
RULE_PACKS_INC = build/generated/builtin_rule_packs.inc
$(RULE_PACKS_INC): data/rule_packs.json
	@mkdir -p $(dir $@)
	@{ echo 'R"rule_packs('; cat $<; echo ')rule_packs"'; } > $@
src/pg/rule_pack_store.o: $(RULE_PACKS_INC)
# The statistics counters are declared once (src/pg/stats_counters.tab); the C++ column
# lists are generated from it after the SQL's counter tables, recount and shard sums are
# checked against it, so a counter missing or out of place anywhere fails the build.
STATS_COUNTERS_INC = build/generated/stats_counters.inc
STATS_COUNTERS_SQL = sql_src/50_stats_counters.sql sql_src/51_stats_rebuild.sql
$(STATS_COUNTERS_INC): src/pg/stats_counters.tab tools/stats_counters.awk $(STATS_COUNTERS_SQL)
	@mkdir -p $(dir $@)
	@awk -f tools/stats_counters.awk src/pg/stats_counters.tab $(STATS_COUNTERS_SQL) > $@.tmp
	@mv $@.tmp $@
$(filter src/pg/stats_%.o,$(BOUNDARY_OBJS)): $(STATS_COUNTERS_INC)
# dialer.version() is compiled in from the control file's default_version (PG_DIALER_VERSION):
# a version bump must rebuild it, or a tree built before the bump reports the old version.
src/pg/module.o: pg_dialer.control

$(CORE_OBJS): %.o: %.cpp
	$(CXX) $(CORE_CXXFLAGS) -c -o $@ $<

$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) $(SQL_INCLUDES) pg_dialer.control $(STATS_COUNTERS_INC)
	@{ echo "-- $(EXTENSION) $(EXTVERSION) install script, assembled from sql_src/ by the Makefile; do not edit."; \
	   printf '%s\n' '\echo Use "CREATE EXTENSION $(EXTENSION)" to load this file. \quit'; \
	   for f in $(SQL_PARTS); do echo; echo "-- ---- $$f ----"; $(SQL_INCLUDE) $$f || exit 1; done; } > $@.tmp
	@mv $@.tmp $@

# Upgrade scripts released as written and made templates since: assembled without the
# heading line, so they stay byte-identical to the released ones (check-releases).
RELEASED_AS_WRITTEN := $(EXTENSION)--0.1.0--0.2.0.sql $(EXTENSION)--0.3.0--0.4.0.sql
$(EXTENSION)--%.sql: sql_upgrade/$(EXTENSION)--%.sql.in $(SQL_INCLUDES) $(SQL_PARTS)
	@{ $(if $(filter $@,$(RELEASED_AS_WRITTEN)),,echo "-- assembled from $< by the Makefile; do not edit.";) \
	   $(SQL_INCLUDE) $<; } > $@.tmp
	@mv $@.tmp $@

all: $(DATA_built)

# The Supabase migrations in order, each in its own transaction, for sql/regress_setup.sql.
.PHONY: build/regress_migrations.sql
build/regress_migrations.sql: $(sort $(wildcard supabase/migrations/*.sql))
	@mkdir -p build
	@for m in $^; do printf 'BEGIN;\n\\i %s\nCOMMIT;\n' "$$m"; done > $@

-include $(OBJS:.o=.d)

# ---- C++ unit tests (GoogleTest, no database) -----------------------------
UNIT_SRCS := $(sort $(wildcard test/unit/*_test.cpp))
UNIT_BIN  := build/unit_tests
$(UNIT_BIN): $(UNIT_SRCS) $(CORE_OBJS)
	@mkdir -p build
	$(CXX) $(CORE_CXXFLAGS) -o $@ $(UNIT_SRCS) $(CORE_OBJS) -lgtest -lgtest_main $(CORE_LIBS) -lpthread

unit: $(UNIT_BIN)
	$(UNIT_BIN)

# ---- tools (libpq clients used by tests, benchmarks and the demo) -------
TOOLS_BIN := build/dialer_workers
build/dialer_workers: tools/dialer_workers.cpp
	@mkdir -p build
	$(CXX) -std=c++17 -O2 -Wall -Wextra $(WERROR_FLAG) -I$(shell $(PG_CONFIG) --includedir) -o $@ $< -lpq -pthread

tools: $(TOOLS_BIN)

# Proves the purity wall: a core file that includes postgres.h must not compile.
check-purity:
	@bash test/check_purity.sh "$(CXX) $(CORE_CXXFLAGS) -I$(shell $(PG_CONFIG) --includedir-server)"

# Proves every released upgrade script is byte-identical to the one its release shipped.
check-releases: $(DATA_built)
	@bash test/check_released_upgrades.sh

# clang-format, clang-tidy and the SQL whitespace rules (test/check_style.sh, TAP); needs
# the generated headers clang-tidy reads.
check-style: $(RULE_PACKS_INC) $(STATS_COUNTERS_INC)
	@bash test/check_style.sh "$(PG_CONFIG)"

test:
	@bash scripts/run-tests.sh

# The isolation specs alone, against the server PGHOST/PGPORT/PGUSER name (a superuser).
isolationcheck:
	$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION)

demo:
	@bash scripts/demo.sh

bench:
	@bash scripts/bench.sh

fuzz:
	@bash scripts/fuzz.sh

types:
	@bash scripts/gen-types.sh
.PHONY: types

.PHONY: unit tools test demo bench fuzz check-purity check-releases check-style isolationcheck
