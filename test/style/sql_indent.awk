# The SQL indentation rule (test/check_style.sh, test 4). A line is indented in 2-space
# steps (an even column), or it lines up with the statement it continues, which puts it at
# an odd column only in one of three ways:
#   - it starts with a clause keyword right-aligned under its statement (WHERE under
#     SELECT, AND under WHERE: the "river");
#   - it starts where a word of an earlier line of the same statement starts, or just
#     after an opening parenthesis or bracket of one (aligned arguments, list items);
#   - it steps 2 in from an earlier line of the same statement (a hanging continuation).
# A statement runs to a line ending in ";"; comments, string continuations and COPY data
# are not checked. Prints FILE:LINE: text for every other line at an odd column.

# The leading spaces of a line.
function indent(line) {
  match(line, /^ */)
  return RLENGTH
}

# Whether column c (0-based) of line starts a word (after a space, "(", ",", "[" or "{"),
# or is the column just after a "(" there.
function aligned_in(line, c,    prev, ch) {
  if (c >= length(line)) return 0
  ch = substr(line, c + 1, 1)
  prev = c > 0 ? substr(line, c, 1) : " "
  if (ch != " " && (prev == " " || prev == "(" || prev == "," || prev == "[" || prev == "{")) return 1
  return prev == "("
}

# Whether an odd-indented line is explained by the lines before it in its statement.
function explained(line, c,    i, first) {
  first = toupper(line)
  sub(/^ +/, "", first)
  sub(/[^A-Z|].*$/, "", first)
  if (first in keyword) return 1
  for (i = n; i >= 1 && i > n - 60; i--) {
    if (aligned_in(stmt[i], c) || indent(stmt[i]) == c - 2) return 1
  }
  return 0
}

BEGIN {
  split("WHERE AND OR ON JOIN LEFT RIGHT FULL CROSS INNER FROM ORDER GROUP LIMIT OFFSET " \
        "RETURNING SET USING WHEN THEN ELSE END FOR UNION HAVING INTO VALUES SELECT WINDOW " \
        "EXCEPT INTERSECT WITH AS IS NOT ||", words, " ")
  for (w in words) keyword[words[w]] = 1
}
FNR == 1 { n = 0; copy = 0 }
/^COPY .* FROM stdin/ { copy = 1; next }
copy && /^\\\.$/ { copy = 0; next }
copy { next }
{
  c = indent($0)
  if ($0 !~ /^ *$/ && c % 2 == 1 && $0 !~ /^ *(--|')/ && !explained($0, c))
    print FILENAME ":" FNR ": " $0
  if ($0 !~ /^ *$/) stmt[++n] = $0
  if ($0 ~ /; *$/) n = 0
}
