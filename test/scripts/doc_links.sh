#!/usr/bin/env bash
# Every relative link in the documentation resolves: README.md, CHANGELOG.md, docs/*.md and
# clients/typescript/README.md. A link [text](path) must name an existing file or directory
# (relative to the document); a link with an anchor (path#anchor, or #anchor in the same
# document) must name an existing Markdown file with a heading of that anchor (GitHub's
# rule: lower case, punctuation dropped, spaces to hyphens). Links inside code are not
# links; http(s) and mailto links are not checked. No database.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
# shellcheck disable=SC1091
source test/helpers/tap.sh

# check_links FILE...: one line per relative link, "ok<TAB>file<TAB>target" or
# "broken<TAB>file<TAB>target<TAB>reason".
check_links() {
  perl -CSD -Mutf8 -e '
    use strict; use warnings;
    use File::Basename qw(dirname);
    my %anchors;
    sub slug { my $h = lc shift; $h =~ s/\[([^\]]*)\]\([^)]*\)/$1/g; $h =~ s/[^\w\- ]//g; $h =~ s/ /-/g; return $h; }
    sub anchors_of {
      my $f = shift;
      return $anchors{$f} if $anchors{$f};
      my (%seen, %set, $fence);
      open(my $fh, "<:encoding(UTF-8)", $f) or return {};
      while (my $l = <$fh>) {
        if ($l =~ /^\s*(```|~~~)/) { $fence = !$fence; next; }
        next if $fence;
        next unless $l =~ /^#{1,6}\s+(.*?)\s*#*\s*$/;
        my $s = slug($1);
        my $n = $seen{$s}++;
        $set{$n ? "$s-$n" : $s} = 1;
      }
      return $anchors{$f} = \%set;
    }
    for my $file (@ARGV) {
      open(my $fh, "<:encoding(UTF-8)", $file) or do { print "broken\t$file\t-\tcannot read\n"; next; };
      my $fence;
      while (my $l = <$fh>) {
        if ($l =~ /^\s*(```|~~~)/) { $fence = !$fence; next; }
        next if $fence;
        $l =~ s/`[^`]*`//g;                       # code spans are not links
        while ($l =~ /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g) {
          my $t = $1;
          next if $t =~ m{^[a-z][a-z0-9+.-]*:}i;   # http:, https:, mailto:
          my ($path, $anchor) = split /#/, $t, 2;
          my $target = $path eq "" ? $file : (dirname($file) . "/" . $path);
          if ($path ne "" && !-e $target) { print "broken\t$file\t$t\tno such file: $target\n"; next; }
          if (defined $anchor && $anchor ne "") {
            if ($target !~ /\.md$/i || !-f $target) { print "broken\t$file\t$t\tan anchor needs a Markdown file\n"; next; }
            if (!anchors_of($target)->{$anchor}) { print "broken\t$file\t$t\tno heading #$anchor in $target\n"; next; }
          }
          print "ok\t$file\t$t\n";
        }
      }
    }
  ' "$@"
}

# The checker itself: it must report a missing file and a missing anchor, and accept
# a good anchor, a link inside code and an external link.
selftest=build/doc_links_selftest
rm -rf "$selftest"; mkdir -p "$selftest"
cat >"$selftest/a.md" <<'EOF'
# A title: with `code`, punctuation

[gone](missing.md) [no anchor](a.md#nope) [good](a.md#a-title-with-code-punctuation)
[self](#a-title-with-code-punctuation) [web](https://example.com/x.md) `[code](missing.md)`
```
[fenced](missing.md)
```
EOF
self=$(check_links "$selftest/a.md")
tap_is "$(grep -c '^broken' <<<"$self")" 2 "checker: a missing file and a missing anchor are broken"
tap_is "$(grep -c '^ok' <<<"$self")" 2 "checker: a good anchor in another file and in the same file resolve"
tap_ok "$(grep -qE 'example\.com|fenced|code\]' <<<"$self"; echo $((1 - $?)))" "checker: external links and links in code are skipped"

files=(README.md CHANGELOG.md docs/*.md clients/typescript/README.md)
result=$(check_links "${files[@]}")
tap_ok "$([ -n "$result" ]; echo $?)" "the documents contain relative links ($(grep -c . <<<"$result"))"
while IFS=$'\t' read -r verdict file target reason; do
  [ -n "$verdict" ] || continue
  if [ "$verdict" = ok ]; then
    tap_ok 0 "$file: $target"
  else
    tap_ok 1 "$file: $target"
    echo "#   $reason"
  fi
done <<<"$result"
tap_done
