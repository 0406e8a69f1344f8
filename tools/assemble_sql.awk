# Assembles an install or upgrade script from its parts (run by the Makefile):
#   -- @include FILE            the whole of FILE (e.g. data/rule_packs.json)
#   -- @function FILE NAME      FILE's definition of function NAME, as CREATE OR REPLACE,
#                               with its COMMENT ON (an upgrade re-creates the one
#                               definition in sql_src/ instead of a hand copy)
#   -- @statement FILE TEXT     FILE's statement whose first line starts with TEXT, through
#                               the first line ending in ";" (a trigger, a comment, a grant)
#   -- @from FILE TEXT          FILE from its first line that starts with TEXT to its end (a
#                               feature's file without its heading comment)
# Every other line is copied unchanged; directives inside what is copied are expanded too.
# A directive that finds nothing is an error.

# Prints a line, expanding it when it is a directive.
function emit(line,    f, n, l, text) {
  if (line ~ /^-- @include /) {
    split(line, f, " ")
    n = 0
    while ((getline l < f[3]) > 0) { emit(l); n++ }
    close(f[3])
    if (n == 0) fail("nothing to include from " f[3])
  } else if (line ~ /^-- @function /) {
    split(line, f, " ")
    if (print_function(f[3], f[4]) == 0) fail("no function " f[4] " in " f[3])
  } else if (line ~ /^-- @statement /) {
    split(line, f, " ")
    text = substr(line, index(line, f[3]) + length(f[3]) + 1)
    if (print_lines(f[3], text, 0) == 0) fail("no statement \"" text "\" in " f[3])
  } else if (line ~ /^-- @from /) {
    split(line, f, " ")
    text = substr(line, index(line, f[3]) + length(f[3]) + 1)
    if (print_lines(f[3], text, 1) == 0) fail("no line \"" text "\" in " f[3])
  } else {
    print line
  }
}

# Reports a directive that found nothing and stops with status 1.
function fail(message) {
  print "assemble_sql: " message > "/dev/stderr"
  exit 1
}

# Prints FILE's lines from "CREATE FUNCTION name(" to the end of the body, then the
# COMMENT ON FUNCTION that follows; returns the number of lines printed.
function print_function(file, name,    line, state, n, n_comment) {
  state = 0; n = 0; n_comment = 0
  while ((getline line < file) > 0) {
    if (state == 0 && index(line, "CREATE FUNCTION " name "(") == 1) {
      sub(/^CREATE FUNCTION/, "CREATE OR REPLACE FUNCTION", line); state = 1
    }
    if (state == 0) continue
    if (state == 2 && line !~ /^COMMENT ON FUNCTION / && n_comment == 0) break
    emit(line); n++
    if (state == 1 && (line ~ /^\$\$;$/ || line ~ /^AS 'MODULE_PATHNAME'.*;$/)) { state = 2; continue }
    if (state == 2) { n_comment++; if (line ~ /';$/) break }
  }
  close(file)
  return n
}

# Prints FILE from its first line that starts with text: through the first line that ends
# in ";" when to_end is 0, else to FILE's end; returns the number of lines printed.
function print_lines(file, text, to_end,    line, n) {
  n = 0
  while ((getline line < file) > 0) {
    if (n == 0 && index(line, text) != 1) continue
    emit(line); n++
    if (!to_end && line ~ /;[[:space:]]*$/) break
  }
  close(file)
  return n
}

{ emit($0) }
