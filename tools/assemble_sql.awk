# Assembles an install or upgrade script from its parts (run by the Makefile):
#   -- @include FILE            the whole of FILE (e.g. data/rule_packs.json)
#   -- @function FILE NAME      FILE's definition of function NAME, as CREATE OR REPLACE,
#                               with its COMMENT ON (an upgrade re-creates the one
#                               definition in sql_src/ instead of a hand copy)
# Every other line is copied unchanged. A directive that finds nothing is an error.

# Prints FILE's lines from "CREATE FUNCTION name(" to the end of the body, then the
# COMMENT ON FUNCTION that follows; returns the number of lines printed.
function print_function(file, name,    line, state, n) {
  state = 0; n = 0
  while ((getline line < file) > 0) {
    if (state == 0 && index(line, "CREATE FUNCTION " name "(") == 1) {
      sub(/^CREATE FUNCTION/, "CREATE OR REPLACE FUNCTION", line); state = 1
    }
    if (state == 0) continue
    if (state == 2 && line !~ /^COMMENT ON FUNCTION / && n_comment == 0) break
    print line; n++
    if (state == 1 && (line ~ /^\$\$;$/ || line ~ /^AS 'MODULE_PATHNAME'.*;$/)) { state = 2; n_comment = 0; continue }
    if (state == 2) { n_comment++; if (line ~ /';$/) break }
  }
  close(file)
  return n
}

/^-- @include / {
  n = 0
  while ((getline l < $3) > 0) { print l; n++ }
  close($3)
  if (n == 0) { print "assemble_sql: nothing to include from " $3 > "/dev/stderr"; exit 1 }
  next
}
/^-- @function / {
  n_comment = 0
  if (print_function($3, $4) == 0) {
    print "assemble_sql: no function " $4 " in " $3 > "/dev/stderr"; exit 1
  }
  next
}
{ print }
