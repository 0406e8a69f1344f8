#!/usr/bin/perl
# Validates META.json against the PGXN Meta Spec 1.0.0 (https://pgxn.org/meta/spec.txt;
# the same rules as the spec's v1 JSON schemas: required keys, types, SemVer versions,
# license shortcuts, prereq phases and relationships, version ranges, resources), and
# checks it against this checkout: version = pg_dialer.control's default_version, every
# provides.file / docfile exists. Then checks that the mutations of a valid document in
# @MUTANTS are rejected, so the checker cannot silently accept everything. TAP output.
#   perl test/helpers/check_meta.pl [META.json]      (from the repository root)
use strict;
use warnings;
use JSON::PP;
use B ();

my $file = shift // 'META.json';
my ($n, $failed) = (0, 0);

# One TAP line: ok/not ok, the description, and any diagnostics.
sub tap {
  my ($ok, $what, @diag) = @_;
  $n++;
  $failed = 1 unless $ok;
  print(($ok ? 'ok' : 'not ok') . " $n - $what\n");
  print "#   $_\n" for ($ok ? () : @diag);
}

# The whole content of a file.
sub slurp {
  my ($path) = @_;
  open my $fh, '<', $path or die "cannot read $path: $!\n";
  local $/;
  return scalar <$fh>;
}

my $SEMVER_BODY = '(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?';
my $SEMVER = qr/^$SEMVER_BODY$/;
my $OP = qr/(?:[=!]=|[<>]=?)\s*/;
my $RANGE = qr/^(?:(?:$OP)?$SEMVER_BODY|0)(?:,\s*(?:$OP)?$SEMVER_BODY)*$/;
my %LICENSES = map { $_ => 1 } qw(agpl_3 apache_1_1 apache_2_0 artistic_1 artistic_2 bsd freebsd
  gfdl_1_2 gfdl_1_3 gpl_1 gpl_2 gpl_3 lgpl_2_1 lgpl_3_0 mit mozilla_1_0 mozilla_1_1 openssl perl_5
  postgresql qpl_1_0 ssleay sun zlib open_source restricted unrestricted unknown);
my %TOP = map { $_ => 1 } qw(name version abstract maintainer license provides meta-spec description
  generated_by tags no_index prereqs release_status resources);
my @REQUIRED = qw(name version abstract maintainer license provides meta-spec);

# True for a JSON string (not a number, object, array or boolean).
sub is_str { my ($v) = @_; return defined $v && !ref $v && (B::svref_2object(\$v)->FLAGS & B::SVf_POK()) }
# True for a non-empty string.
sub nonempty { my ($v) = @_; return is_str($v) && length $v > 0 }
# True for a spec "term": 2+ characters, no slash, backslash, space or control character.
sub is_term { my ($v) = @_; return is_str($v) && $v =~ /^[^\/\\\s[:cntrl:]]{2,}$/ }
# True for a custom key (x_ or X_ prefix), always allowed.
sub custom { return $_[0] =~ /^[xX]_./ }
# True for a URI with a scheme (the schema's "format": "uri").
sub is_uri { my ($v) = @_; return is_str($v) && $v =~ /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/ }
# Keys of hash $h that are neither in the list nor custom, as "where.key" strings.
sub unknown_keys {
  my ($h, $where, @allowed) = @_;
  my %ok = map { $_ => 1 } @allowed;
  return map { "unknown key $where.$_" } grep { !$ok{$_} && !custom($_) } sort keys %$h;
}

# Every spec violation in the decoded document $m, as a list of messages.
sub spec_errors {
  my ($m) = @_;
  return ('top level is not an object') unless ref $m eq 'HASH';
  my @e;
  push @e, map { "missing required key $_" } grep { !exists $m->{$_} } @REQUIRED;
  push @e, map { "unknown top-level key $_" } grep { !$TOP{$_} && !custom($_) } sort keys %$m;
  push @e, 'name is not a term' if exists $m->{name} && !is_term($m->{name});
  push @e, 'version is not SemVer' if exists $m->{version} && !(is_str($m->{version}) && $m->{version} =~ $SEMVER);
  push @e, 'abstract is not a non-empty string' if exists $m->{abstract} && !nonempty($m->{abstract});
  for my $k (qw(description generated_by)) {
    push @e, "$k is not a non-empty string" if exists $m->{$k} && !nonempty($m->{$k});
  }
  if (exists $m->{maintainer}) {
    my $v = $m->{maintainer};
    push @e, 'maintainer is not a non-empty string or list of them'
      unless nonempty($v) || (ref $v eq 'ARRAY' && @$v && !grep { !nonempty($_) } @$v);
  }
  if (exists $m->{license}) {
    my $v = $m->{license};
    my $ok = (is_str($v) && $LICENSES{$v})
      || (ref $v eq 'ARRAY' && @$v && !grep { !(is_str($_) && $LICENSES{$_}) } @$v)
      || (ref $v eq 'HASH' && %$v && !grep { !is_uri($_) } values %$v);
    push @e, 'license is not a known shortcut, a list of them, or an object of URIs' unless $ok;
  }
  if (exists $m->{provides}) {
    my $p = $m->{provides};
    if (ref $p ne 'HASH' || !%$p) {
      push @e, 'provides is not a non-empty object';
    } else {
      for my $ext (sort keys %$p) {
        my $x = $p->{$ext};
        push @e, "provides key $ext is not a term" unless is_term($ext);
        if (ref $x ne 'HASH') { push @e, "provides.$ext is not an object"; next }
        push @e, map { "provides.$ext: missing $_" } grep { !exists $x->{$_} } qw(file version);
        push @e, unknown_keys($x, "provides.$ext", qw(file version abstract docfile docpath));
        push @e, "provides.$ext.version is not SemVer"
          if exists $x->{version} && !(is_str($x->{version}) && $x->{version} =~ $SEMVER);
        for my $k (qw(file docfile abstract docpath)) {
          push @e, "provides.$ext.$k is not a non-empty string" if exists $x->{$k} && !nonempty($x->{$k});
        }
        for my $k (qw(file docfile)) {
          push @e, "provides.$ext.$k is not a relative unix path"
            if nonempty($x->{$k}) && ($x->{$k} =~ m{^/} || $x->{$k} =~ m{\\});
        }
      }
    }
  }
  if (exists $m->{'meta-spec'}) {
    my $s = $m->{'meta-spec'};
    if (ref $s ne 'HASH') {
      push @e, 'meta-spec is not an object';
    } else {
      push @e, 'meta-spec.version is not 1.0.x' unless is_str($s->{version}) && $s->{version} =~ /^1\.0\.\d+$/;
      push @e, 'meta-spec.url is not the spec URL'
        if exists $s->{url} && !(is_str($s->{url}) && $s->{url} =~ m{^https?://pgxn\.org/meta/spec\.txt$});
      push @e, unknown_keys($s, 'meta-spec', qw(version url));
    }
  }
  if (exists $m->{tags}) {
    my $t = $m->{tags};
    push @e, 'tags is not a non-empty list of strings of 1-255 characters'
      unless ref $t eq 'ARRAY' && @$t && !grep { !(nonempty($_) && length $_ <= 255) } @$t;
  }
  if (exists $m->{no_index}) {
    my $ni = $m->{no_index};
    if (ref $ni ne 'HASH') {
      push @e, 'no_index is not an object';
    } else {
      push @e, unknown_keys($ni, 'no_index', qw(file directory));
      for my $k (grep { exists $ni->{$_} } qw(file directory)) {
        my $v = $ni->{$k};
        push @e, "no_index.$k is not a path or a list of paths"
          unless nonempty($v) || (ref $v eq 'ARRAY' && @$v && !grep { !nonempty($_) } @$v);
      }
    }
  }
  if (exists $m->{prereqs}) {
    my $pr = $m->{prereqs};
    if (ref $pr ne 'HASH' || !%$pr) {
      push @e, 'prereqs is not a non-empty object';
    } else {
      push @e, unknown_keys($pr, 'prereqs', qw(configure build test runtime develop));
      for my $phase (grep { !custom($_) } sort keys %$pr) {
        my $ph = $pr->{$phase};
        if (ref $ph ne 'HASH' || !%$ph) { push @e, "prereqs.$phase is not a non-empty object"; next }
        push @e, unknown_keys($ph, "prereqs.$phase", qw(requires recommends suggests conflicts));
        for my $rel (grep { !custom($_) } sort keys %$ph) {
          my $deps = $ph->{$rel};
          if (ref $deps ne 'HASH' || !%$deps) { push @e, "prereqs.$phase.$rel is not a non-empty object"; next }
          for my $d (sort keys %$deps) {
            my $r = $deps->{$d};
            my $ok = defined $r && !ref $r && (is_str($r) ? $r =~ $RANGE : $r eq '0');
            push @e, "prereqs.$phase.$rel.$d is not a version range" unless $ok;
            push @e, "prereqs.$phase.$rel key $d is not a term" unless is_term($d);
          }
        }
      }
    }
  }
  if (exists $m->{release_status}) {
    push @e, 'release_status is not stable, testing or unstable'
      unless is_str($m->{release_status}) && $m->{release_status} =~ /^(stable|testing|unstable)$/;
  }
  if (exists $m->{resources}) {
    my $r = $m->{resources};
    if (ref $r ne 'HASH' || !%$r) {
      push @e, 'resources is not a non-empty object';
    } else {
      push @e, unknown_keys($r, 'resources', qw(homepage bugtracker repository));
      push @e, 'resources.homepage is not a URI' if exists $r->{homepage} && !is_uri($r->{homepage});
      if (exists $r->{bugtracker}) {
        my $b = $r->{bugtracker};
        if (ref $b ne 'HASH') { push @e, 'resources.bugtracker is not an object' }
        else {
          push @e, 'resources.bugtracker needs web or mailto' unless exists $b->{web} || exists $b->{mailto};
          push @e, 'resources.bugtracker.web is not a URI' if exists $b->{web} && !is_uri($b->{web});
          push @e, 'resources.bugtracker.mailto is not an email'
            if exists $b->{mailto} && !(is_str($b->{mailto}) && $b->{mailto} =~ /^[^@\s]+@[^@\s]+$/);
          push @e, unknown_keys($b, 'resources.bugtracker', qw(web mailto));
        }
      }
      if (exists $r->{repository}) {
        my $s = $r->{repository};
        if (ref $s ne 'HASH') { push @e, 'resources.repository is not an object' }
        else {
          push @e, 'resources.repository needs url and type, or web'
            unless (exists $s->{url} && exists $s->{type}) || exists $s->{web};
          push @e, "resources.repository.$_ is not a URI" for grep { exists $s->{$_} && !is_uri($s->{$_}) } qw(url web);
          push @e, 'resources.repository.type is not a lowercase string'
            if exists $s->{type} && !(is_str($s->{type}) && $s->{type} =~ /^[a-z]+$/);
          push @e, unknown_keys($s, 'resources.repository', qw(url web type));
        }
      }
    }
  }
  return @e;
}

my $text = slurp($file);
my $meta = eval { JSON::PP->new->decode($text) };
tap(defined $meta, "$file is valid JSON", $@ // '');
$meta //= {};
my @errors = spec_errors($meta);
tap(!@errors, "$file follows the PGXN Meta Spec 1.0.0", @errors);

my ($control_version) = slurp('pg_dialer.control') =~ /^default_version\s*=\s*'([^']+)'/m;
tap(defined $meta->{version} && $meta->{version} eq ($control_version // ''),
    "version equals pg_dialer.control's default_version",
    'META.json: ' . ($meta->{version} // 'none'), "pg_dialer.control: " . ($control_version // 'none'));
my $ext = $meta->{provides}{pg_dialer};
tap(ref $ext eq 'HASH', 'provides the pg_dialer extension');
$ext = {} unless ref $ext eq 'HASH';
tap(($ext->{version} // '') eq ($control_version // ''), 'provides.pg_dialer.version equals default_version',
    'have: ' . ($ext->{version} // 'none'));
for my $x (sort keys %{ ref $meta->{provides} eq 'HASH' ? $meta->{provides} : {} }) {
  for my $k (qw(file docfile)) {
    my $path = $meta->{provides}{$x}{$k};
    next unless defined $path;
    tap(-f $path, "provides.$x.$k exists ($path)");
  }
}
tap(($meta->{license} // '') eq 'postgresql' && -f 'LICENSE' && slurp('LICENSE') =~ /^PostgreSQL License/,
    'license is postgresql, the licence in LICENSE');
my $pg = $meta->{prereqs}{runtime}{requires}{PostgreSQL} // '';
tap($pg =~ /(?:^|,\s*)>=\s*15\.0\.0/ && $pg =~ /<\s*16\.0\.0/, 'runtime requires PostgreSQL 15', "have: $pg");

# Mutations of the valid document: each must be rejected by spec_errors.
my @MUTANTS = (
  ['no license' => sub { delete $_[0]{license} }],
  ['unknown license shortcut' => sub { $_[0]{license} = 'postgres' }],
  ['version not SemVer' => sub { $_[0]{version} = '0.4' }],
  ['numeric version' => sub { $_[0]{version} = 1 }],
  ['name with a space' => sub { $_[0]{name} = 'pg dialer' }],
  ['empty maintainer list' => sub { $_[0]{maintainer} = [] }],
  ['provides without file' => sub { delete $_[0]{provides}{pg_dialer}{file} }],
  ['provides with an unknown key' => sub { $_[0]{provides}{pg_dialer}{files} = 'x' }],
  ['meta-spec 2.0.0' => sub { $_[0]{'meta-spec'}{version} = '2.0.0' }],
  ['unknown top-level key' => sub { $_[0]{licence} = 'postgresql' }],
  ['bad version range' => sub { $_[0]{prereqs}{runtime}{requires}{PostgreSQL} = '>= 15' }],
  ['unknown prereq phase' => sub { $_[0]{prereqs}{install} = { requires => { PostgreSQL => 0 } } }],
  ['repository url without type' => sub { $_[0]{resources}{repository} = { url => 'https://example.org/x.git' } }],
  ['release_status final' => sub { $_[0]{release_status} = 'final' }],
);
for my $mutant (@MUTANTS) {
  my ($what, $change) = @$mutant;
  my $copy = JSON::PP->new->decode($text);
  $change->($copy);
  # Round trip so strings and numbers keep their JSON types.
  $copy = JSON::PP->new->decode(JSON::PP->new->canonical->encode($copy));
  tap(scalar(spec_errors($copy)) > 0, "checker rejects: $what");
}

print "1..$n\n";
exit $failed;
