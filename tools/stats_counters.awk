# Checks the statistics SQL against the one declaration of the counters and, when they
# agree, prints the C++ column lists generated from it (run by the Makefile):
#   awk -f tools/stats_counters.awk src/pg/stats_counters.tab sql_src/50_stats_counters.sql \
#       sql_src/51_stats_rebuild.sql > build/generated/stats_counters.inc
# The first file is the declaration (src/pg/stats_counters.tab says what it holds). In the
# SQL files it checks, against the declared columns of each counter table, in order:
#   * the CREATE TABLE dialer.<table> column list (names and types);
#   * every function RETURNS [SETOF] dialer.<table>: its output list, from the line
#     "  SELECT p_tenant_id AS tenant_id" to the next line starting "    FROM", must name
#     each column with "AS <column>" in the table's order (the result is positional, so a
#     counter out of place would be summed into its neighbour).
# Any difference is printed to stderr and the exit status is 1 (nothing is generated).

function fail(msg) { print "stats_counters: " msg > "/dev/stderr"; failed = 1 }

# CamelCase of a snake_case column name, with the k prefix of a C++ constant.
function constant(name,    parts, n, i, out) {
  n = split(name, parts, "_"); out = "k"
  for (i = 1; i <= n; i++) out = out toupper(substr(parts[i], 1, 1)) substr(parts[i], 2)
  return out
}

# The C++ namespace of a writer.
function space(writer) {
  if (writer == "calls") return "call_totals"
  if (writer == "buckets") return "call_buckets"
  if (writer == "leads") return "lead_totals"
  if (writer == "first_contact") return "first_contact"
  fail("unknown writer " writer); return writer
}

# The PostgreSQL type OID macro of a declared SQL type.
function oid(type) {
  if (type == "uuid") return "UUIDOID"
  if (type == "smallint") return "INT2OID"
  if (type == "bigint") return "INT8OID"
  if (type == "numeric") return "NUMERICOID"
  if (type == "bigint[]") return "INT8ARRAYOID"
  if (type == "text") return "TEXTOID"
  if (type == "timestamptz") return "TIMESTAMPTZOID"
  fail("unknown type " type); return "InvalidOid"
}

# Compares the list got[1..n] found at where with the declared columns of table.
function compare(table, n, got, where,    i) {
  if (n != ncols[table]) fail(where ": " n " columns, the declaration has " ncols[table])
  for (i = 1; i <= n && i <= ncols[table]; i++) {
    if (got[i] != col[table, i]) fail(where ": column " i " is " got[i] ", the declaration says " col[table, i])
  }
  checked[table, where] = 1
}

FNR == 1 { file++ }

# ---- the declaration --------------------------------------------------------------
file == 1 && /^#/ { next }
file == 1 && NF == 0 { next }
file == 1 {
  if (NF != 5) { fail(FILENAME ":" FNR ": expected 5 fields"); next }
  t = $1
  if (!(t in ncols)) { tables[++ntables] = t; ncols[t] = 0 }
  i = ++ncols[t]; col[t, i] = $3; writer[t, i] = $2; kind[t, i] = $4; type[t, i] = $5
  if ($4 !~ /^[kinv]$/) fail(FILENAME ":" FNR ": kind " $4 " is not k, i, n or v")
  if (($4 == "i" && $5 != "bigint") || ($4 == "n" && $5 != "numeric") || ($4 == "v" && $5 != "bigint[]"))
    fail(FILENAME ":" FNR ": a counter of kind " $4 " cannot be " $5)
  if (($4 == "k") != ($2 == "*")) fail(FILENAME ":" FNR ": key columns, and only they, have writer *")
  if ($2 != "*" && !(($2) in wtable)) { writers[++nwriters] = $2; wtable[$2] = t }
  if ($2 != "*" && wtable[$2] != t) fail(FILENAME ":" FNR ": writer " $2 " writes one table only")
  next
}

# ---- CREATE TABLE column lists ------------------------------------------------------
/^CREATE TABLE dialer\.[a-z_]+ \(/ {
  current = $3; sub(/^dialer\./, "", current)
  if (current in ncols) { in_table = 1; n = 0; delete got } else in_table = 0
  next
}
in_table && /^\)/ {
  compare(current, n, got, FILENAME ": CREATE TABLE dialer." current)
  in_table = 0; next
}
in_table && /^  [a-z_]+ +[a-z]/ {
  n++; got[n] = $1
  if ($2 != type[current, n]) fail(FILENAME ": dialer." current "." $1 " is " $2 ", the declaration says " type[current, n])
  next
}

# ---- functions returning a counter table's rows ---------------------------------
/^CREATE FUNCTION dialer\.[a-z_]+\(/ { fname = $3; sub(/\(.*/, "", fname); ftable = ""; next }
fname != "" && /^RETURNS (SETOF )?dialer\.[a-z_]+$/ {
  t = $NF; sub(/^dialer\./, "", t)
  if (t in ncols) { ftable = t; found_list[fname] = 0 }
  next
}
ftable != "" && /^  SELECT p_tenant_id AS tenant_id/ { in_list = 1; n = 0; delete got }
in_list && /^    FROM/ {
  compare(ftable, n, got, FILENAME ": output of " fname)
  found_list[fname] = 1; in_list = 0; next
}
in_list {
  line = $0
  while (match(line, / AS [a-z_]+/)) {
    n++; got[n] = substr(line, RSTART + 4, RLENGTH - 4); line = substr(line, RSTART + RLENGTH)
  }
  next
}
/^\$\$;$/ {
  if (ftable != "" && !found_list[fname]) fail(FILENAME ": " fname " returns dialer." ftable " rows but has no output list \"  SELECT p_tenant_id AS tenant_id ...\" ending at \"    FROM\"")
  fname = ""; ftable = ""
}

END {
  for (i = 1; i <= ntables; i++) {
    found = 0
    for (key in checked) { split(key, k, SUBSEP); if (k[1] == tables[i] && k[2] ~ /CREATE TABLE/) found = 1 }
    if (!found) fail("no CREATE TABLE dialer." tables[i] " in the SQL files given")
  }
  if (failed) exit 1
  print "// Generated by tools/stats_counters.awk from src/pg/stats_counters.tab; do not edit."
  print "// Per writer: its columns (the table's key, then the counters it adds to), in the"
  print "// table's order, as an enum (the index of each value the writer passes), names, kinds,"
  print "// parameter types and the CounterTable (src/pg/stats_counters.hpp) built from them."
  for (w = 1; w <= nwriters; w++) {
    wr = writers[w]; t = wtable[wr]; m = 0; nkeys = 0
    for (i = 1; i <= ncols[t]; i++) {
      if (writer[t, i] != "*" && writer[t, i] != wr) continue
      m++; c[m] = col[t, i]; kd[m] = kind[t, i]; ty[m] = type[t, i]
      if (kd[m] == "k") { nkeys++; if (nkeys != m) fail(t ": key column " c[m] " after a counter") }
    }
    print ""
    print "namespace dialer::stats::" space(wr) " {"
    print "// Columns of dialer." t " written by the " wr " writer."
    print "enum Column {"
    for (i = 1; i <= m; i++) print "  " constant(c[i]) ","
    print "  kColumnCount"
    print "};"
    line = "inline constexpr const char* kNames[] = {"
    for (i = 1; i <= m; i++) line = line (i > 1 ? ", " : "") "\"" c[i] "\""
    print line "};"
    line = ""
    for (i = 1; i <= m; i++) line = line kd[i]
    print "inline constexpr char kKinds[] = \"" line "\";"
    line = "inline constexpr Oid kTypes[] = {"
    for (i = 1; i <= m; i++) line = line (i > 1 ? ", " : "") oid(ty[i])
    print line "};"
    print "inline constexpr CounterTable kTable = {\"" t "\", kNames, kKinds, kTypes, kColumnCount, " nkeys "};"
    print "}  // namespace dialer::stats::" space(wr)
  }
  if (failed) exit 1
}
