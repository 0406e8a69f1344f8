// The fast normaliser; each step names the libphonenumber function it mirrors.
#include "phone/fast_e164.hpp"

#include <string>

#include "phone/region_rules.hpp"

namespace dialer::phone {
namespace {

// Longer inputs, or more digits, are left to libphonenumber.
constexpr size_t kMaxInput = 160;
constexpr size_t kMaxDigits = 48;
// libphonenumber's kMinLengthForNsn and kMaxLengthForNsn.
constexpr size_t kMinNsn = 2;
constexpr size_t kMaxNsn = 17;

// A digit string in a fixed buffer (no allocation per call).
struct Digits {
  char d[kMaxDigits + 8];
  size_t n = 0;
  std::string_view view() const { return std::string_view(d, n); }
  void Assign(std::string_view s) {
    n = s.size() <= kMaxDigits ? s.size() : kMaxDigits;
    for (size_t i = 0; i < n; ++i) d[i] = s[i];
  }
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
// The subset of libphonenumber's kValidPunctuation we accept in the fast path.
bool IsPunct(char c) {
  return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/';
}
// ITU E.161 keypad digit for an ASCII letter.
char Keypad(char c) { return "22233344455566677778889999"[(c | 0x20) - 'a']; }

enum class Scan { kOk, kNotANumber, kUnsure };

// What ExtractPossibleNumber + MaybeStripExtension + Normalize leave.
struct Scanned {
  bool plus = false;  // the number starts with '+' (FROM_NUMBER_WITH_PLUS_SIGN)
  Digits digits;      // normalised digits after the '+'
};

// Lower-cased extension label -> digit limit, or 0 when not a label we model.
// Why these limits: libphonenumber caps digits at 20 after explicit labels
// ("ext", "extension") and 9 after the ambiguous "x".
int ExtensionLimit(std::string_view label) {
  std::string l(label);
  for (char& c : l) c = char(c | 0x20);
  if (l == "x" || l == "#") return 9;
  if (l == "ext" || l == "extn" || l == "xt" || l == "xtn" || l == "extension") return 20;
  return 0;
}

// Rewrites full-width digits (U+FF10..U+FF19) as ASCII into buf; false for
// any other non-ASCII or control character, which libphonenumber handles.
bool ToAscii(std::string_view in, char* buf, size_t* n, bool* had_wide) {
  *n = 0;
  *had_wide = false;
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c == 0xEF && i + 2 < in.size() && static_cast<unsigned char>(in[i + 1]) == 0xBC) {
      unsigned char t = static_cast<unsigned char>(in[i + 2]);
      if (t < 0x90 || t > 0x99) return false;
      buf[(*n)++] = char('0' + (t - 0x90));
      *had_wide = true;
      i += 2;
      continue;
    }
    if (c >= 0x80 || c < 0x20 || c == 0x7F) return false;
    buf[(*n)++] = char(c);
  }
  return true;
}

// ExtractPossibleNumber: from the first digit or '+' to the last character
// that is a letter, digit or '#' (TrimUnwantedEndChars).
Scan Extract(std::string_view in, std::string_view* out) {
  size_t first = in.size(), last = in.size();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (first == in.size() && (IsDigit(c) || c == '+')) first = i;
    if (IsDigit(c) || IsAlpha(c) || c == '#') last = i;
  }
  // No start character, or nothing left after trimming: NOT_A_NUMBER.
  if (first == in.size() || last == in.size() || last < first) return Scan::kNotANumber;
  *out = in.substr(first, last - first + 1);
  return Scan::kOk;
}

// True when text contains needle, ignoring ASCII case.
bool ContainsNoCase(std::string_view text, std::string_view needle) {
  for (size_t i = 0; i + needle.size() <= text.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() && (text[i + k] | 0x20) == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

// MaybeStripExtension for the extension forms we model, all at the end:
// "ext 12", "x12", "extension: 12", "#12", ";ext=12", " ,, 12". On success
// *main is the number before the extension and its separators.
// Why the leftmost match is the one we find: every other alternative of
// libphonenumber's extension pattern needs a label ("x", "ext", "int", "#",
// ",", ";") that cannot occur earlier once the checks in ScanInput hold.
Scan SplitExtension(std::string_view e, std::string_view* main) {
  *main = e;
  size_t k = e.size();
  while (k > 0 && IsDigit(e[k - 1])) --k;
  size_t ext_digits = e.size() - k;
  if (ext_digits == 0) return Scan::kOk;
  size_t p = k;
  if (p >= 5 && ContainsNoCase(e.substr(p - 5, 5), ";ext=")) {
    if (ext_digits > 20) return Scan::kUnsure;
    *main = e.substr(0, p - 5);
    return Scan::kOk;
  }
  while (p > 0 && (e[p - 1] == ' ' || e[p - 1] == '-')) --p;
  if (p >= 2 && e[p - 1] == ',' && e[p - 2] == ',') {
    // The auto-dialling form: [ ]*,,[ -]*digits, up to 15 digits.
    if (ext_digits > 15) return Scan::kUnsure;
    size_t q = p - 2;
    while (q > 0 && e[q - 1] == ' ') --q;
    *main = e.substr(0, q);
    return Scan::kOk;
  }
  if (p > 0 && (e[p - 1] == ':' || e[p - 1] == '.')) --p;
  size_t label = p;
  if (label > 0 && e[label - 1] == '#') {
    --label;
  } else {
    while (label > 0 && IsAlpha(e[label - 1])) --label;
  }
  if (label == p) return Scan::kOk;  // no label: no extension
  int limit = ExtensionLimit(e.substr(label, p - label));
  if (limit == 0 || ext_digits > size_t(limit)) return Scan::kUnsure;
  size_t q = label;
  while (q > 0 && e[q - 1] == ' ') --q;
  *main = e.substr(0, q);
  return Scan::kOk;
}

// The whole input side of Parse up to country-code extraction.
Scan ScanInput(std::string_view raw, Scanned* out) {
  if (raw.size() > kMaxInput) return Scan::kUnsure;
  char buf[kMaxInput];
  size_t n = 0;
  bool had_wide = false;
  if (!ToAscii(raw, buf, &n, &had_wide)) return Scan::kUnsure;
  std::string_view in(buf, n);
  // RFC 3966 parameters other than one trailing ";ext=" (phone-context,
  // isub) change how libphonenumber reads the input.
  size_t semicolon = in.find(';');
  if (semicolon != std::string_view::npos &&
      (semicolon != in.rfind(';') || !ContainsNoCase(in.substr(semicolon, 5), ";ext=")))
    return Scan::kUnsure;
  std::string_view e;
  Scan s = Extract(in, &e);
  if (s != Scan::kOk) return s;
  // kCaptureUpToSecondNumberStart ("(.*)[\\/] *x") would cut the number.
  if (e.find('x') != std::string_view::npos && e.find('/') != std::string_view::npos)
    return Scan::kUnsure;
  // Labels that can start an extension; without any, none can be stripped.
  bool may_have_extension = e.find_first_of("xX#,;") != std::string_view::npos;
  if (ContainsNoCase(e, "int")) return Scan::kUnsure;
  std::string_view main = e;
  if (may_have_extension && (s = SplitExtension(e, &main)) != Scan::kOk) return s;
  bool has_extension = main.size() != e.size();

  out->plus = !main.empty() && main[0] == '+';
  size_t digits = 0, letters = 0, digits_before_letter = 0;
  bool seen_letter = false;
  for (size_t i = out->plus ? 1 : 0; i < main.size(); ++i) {
    char c = main[i];
    if (IsDigit(c)) {
      ++digits;
      if (!seen_letter) ++digits_before_letter;
    } else if (IsAlpha(c)) {
      ++letters;
      // 'x' counts as punctuation in kValidPunctuation.
      if ((c | 0x20) != 'x') seen_letter = true;
    } else if (!IsPunct(c)) {
      return Scan::kUnsure;  // a second '+', or a separator we do not model
    }
  }
  if (digits_before_letter < 3) {
    // VALID_PHONE_NUMBER needs three digits before any letter; only a bare
    // two-digit string (its other alternative) or an extension could rescue it.
    bool two_digits = main.size() == 2 && digits == 2;
    return (has_extension || letters > 0 || two_digits) ? Scan::kUnsure : Scan::kNotANumber;
  }
  if (letters > 0 && (has_extension || e.find_first_of("#,;") != std::string_view::npos))
    return Scan::kUnsure;
  if (digits + letters > kMaxDigits) return Scan::kUnsure;
  // Normalize: three or more letters make a vanity number (letters -> keypad
  // digits; libphonenumber then drops full-width digits, which we leave to it),
  // fewer are dropped as noise.
  bool vanity = letters >= 3;
  if (vanity && had_wide) return Scan::kUnsure;
  Digits& d = out->digits;
  for (char c : main) {
    if (IsDigit(c))
      d.d[d.n++] = c;
    else if (vanity && IsAlpha(c))
      d.d[d.n++] = Keypad(c);
  }
  return Scan::kOk;
}

// matcher_api->MatchNationalNumber(number, general_desc, false).
Tri MatchesGeneral(const RegionRules& r, std::string_view number) {
  if (!r.general.pattern) return Tri::kNo;
  bool gave_up = false;
  bool m = r.general.pattern->FullMatch(number, &gave_up);
  return gave_up ? Tri::kUnsure : (m ? Tri::kYes : Tri::kNo);
}

// MaybeStripNationalPrefixAndCarrierCode; false when unsure.
bool StripNationalPrefix(const RegionRules& r, Digits* number) {
  if (number->n == 0 || !r.national_prefix_for_parsing) return true;
  const DigitPattern& npp = *r.national_prefix_for_parsing;
  std::string_view s = number->view();
  Tri viable = MatchesGeneral(r, s);
  PrefixMatch m = npp.MatchPrefix(s);
  if (viable == Tri::kUnsure || m.gave_up) return false;
  if (!m.matched) return true;
  Digits candidate;
  // Consume(&carrier, &captured) needs two groups, Consume(&captured) one.
  int groups = npp.group_count();
  std::string_view captured = groups >= 2 ? m.Group(s, 2) : groups == 1 ? m.Group(s, 1) : "";
  if (r.has_transform && !captured.empty()) {
    std::string t;
    for (const RegionRules::Piece& piece : r.transform) {
      if (piece.group > groups) return false;
      t += piece.group == 0 ? piece.literal : std::string(m.Group(s, piece.group));
    }
    t += s.substr(size_t(m.end));
    if (t.size() > kMaxDigits) return false;
    candidate.Assign(t);
  } else {
    candidate.Assign(s.substr(size_t(m.end)));
  }
  if (viable == Tri::kYes) {
    Tri still = MatchesGeneral(r, candidate.view());
    if (still == Tri::kUnsure) return false;
    if (still == Tri::kNo) return true;  // stripping would spoil a viable number
  }
  *number = candidate;
  return true;
}

// ExtractCountryCode: the first 1-3 digits that form a known calling code.
int ExtractCountryCode(const RuleBook& book, Digits* d) {
  if (d->n == 0 || d->d[0] == '0') return 0;
  int code = 0;
  for (size_t i = 1; i <= 3 && i <= d->n; ++i) {
    code = code * 10 + (d->d[i - 1] - '0');
    if (!book.RegionsFor(code).empty()) {
      d->Assign(d->view().substr(i));
      return code;
    }
  }
  return 0;
}

// Outcome of the country-code step, for FastE164.
struct CountryStep {
  FastVerdict verdict = FastVerdict::kValid;  // kValid here means "continue"
  int code = 0;
};

// MaybeStripInternationalPrefixAndNormalize + MaybeExtractCountryCode, with
// ParseHelper's one retry without the '+' when the code after it is unknown.
CountryStep ExtractCountry(const RuleBook& book, const RegionRules* def, bool plus, Digits* d) {
  CountryStep step;
  const Digits original = *d;
  bool international = plus;
  if (!plus && def != nullptr) {
    PrefixMatch m = def->international_prefix->MatchPrefix(d->view());
    if (m.gave_up) return {FastVerdict::kUnsure};
    // ParsePrefixAsIdd: never strip when a 0 follows (no calling code starts with 0).
    if (m.matched && (size_t(m.end) == d->n || d->d[m.end] != '0')) {
      d->Assign(d->view().substr(size_t(m.end)));
      international = true;
    }
  }
  if (international) {
    if (d->n <= kMinNsn) return {FastVerdict::kInvalid};  // TOO_SHORT_AFTER_IDD
    step.code = ExtractCountryCode(book, d);
    if (step.code != 0) return step;
    if (!plus) return {FastVerdict::kInvalid};  // INVALID_COUNTRY_CODE
    *d = original;
    CountryStep retry = ExtractCountry(book, def, false, d);
    if (retry.verdict == FastVerdict::kUnsure) return retry;
    if (retry.verdict == FastVerdict::kInvalid || retry.code == 0) return {FastVerdict::kInvalid};
    return retry;
  }
  if (def == nullptr) return step;
  const std::string& cc = def->country_code_digits;
  if (d->view().substr(0, cc.size()) != cc) return step;
  Digits rest;
  rest.Assign(d->view().substr(cc.size()));
  if (!StripNationalPrefix(*def, &rest)) return {FastVerdict::kUnsure};
  Tri before = MatchesGeneral(*def, d->view());
  Tri after = MatchesGeneral(*def, rest.view());
  if (before == Tri::kUnsure || after == Tri::kUnsure) return {FastVerdict::kUnsure};
  if ((before == Tri::kNo && after == Tri::kYes) ||
      def->TestLength(d->n) == LengthCheck::kTooLong) {
    *d = rest;
    step.code = def->country_code;
  }
  return step;
}

// GetRegionCodeForNumber: the region of a shared calling code that claims nsn.
// Returns null for "ZZ"; sets *unsure when a region's rules cannot answer.
const RegionRules* RegionForNumber(const RuleBook& book, int code, std::string_view nsn,
                                   bool* unsure) {
  const std::vector<std::string>& regions = book.RegionsFor(code);
  if (regions.size() == 1) return book.ForCallingCode(code, regions[0]);
  for (const std::string& region : regions) {
    const RegionRules* r = book.ForRegion(region);
    if (r == nullptr || !r->usable) {
      *unsure = true;
      return nullptr;
    }
    if (r->leading_digits) {
      PrefixMatch m = r->leading_digits->MatchPrefix(nsn);
      if (m.gave_up) *unsure = true;
      if (m.gave_up || m.matched) return m.gave_up ? nullptr : r;
    } else {
      bool type_unsure = false;
      RuleType t = r->NumberType(nsn, &type_unsure);
      if (type_unsure) {
        *unsure = true;
        return nullptr;
      }
      if (t != RuleType::kUnknown) return r;
    }
  }
  return nullptr;
}

// Writes "+<code><nsn>" (at most 1 + 3 + kMaxNsn characters).
void WriteE164(int code, std::string_view nsn, E164Text* out) {
  char* p = out->data;
  *p++ = '+';
  if (code >= 100) *p++ = char('0' + code / 100);
  if (code >= 10) *p++ = char('0' + code / 10 % 10);
  *p++ = char('0' + code % 10);
  for (char c : nsn) *p++ = c;
  out->size = size_t(p - out->data);
}

}  // namespace

FastVerdict FastE164(std::string_view input, std::string_view region, E164Text* out) {
  Scanned scanned;
  Scan s = ScanInput(input, &scanned);
  if (s == Scan::kNotANumber) return FastVerdict::kInvalid;
  if (s == Scan::kUnsure) return FastVerdict::kUnsure;

  const RuleBook& book = RuleBook::Get();
  const RegionRules* def = region.empty() ? nullptr : book.ForRegion(region);
  if (!region.empty() && (def == nullptr || !def->usable)) return FastVerdict::kUnsure;
  // CheckRegionForParsing: without a region the number must start with '+'.
  if (def == nullptr && !scanned.plus) return FastVerdict::kInvalid;

  Digits d = scanned.digits;
  CountryStep step = ExtractCountry(book, def, scanned.plus, &d);
  if (step.verdict != FastVerdict::kValid) return step.verdict;
  int code = step.code;
  const RegionRules* country = def;
  if (code != 0) {
    const std::string& main = book.RegionsFor(code).front();
    if (main != region) country = book.ForCallingCode(code, main);
  } else {
    code = def->country_code;
  }
  if (country != nullptr && !country->usable) return FastVerdict::kUnsure;
  if (d.n < kMinNsn) return FastVerdict::kInvalid;  // TOO_SHORT_NSN
  if (country != nullptr) {
    Digits stripped = d;
    if (!StripNationalPrefix(*country, &stripped)) return FastVerdict::kUnsure;
    LengthCheck len = country->TestLength(stripped.n);
    if (len != LengthCheck::kTooShort && len != LengthCheck::kLocalOnly &&
        len != LengthCheck::kInvalidLength) {
      d = stripped;
    }
  }
  if (d.n < kMinNsn || d.n > kMaxNsn) return FastVerdict::kInvalid;  // TOO_SHORT/LONG_NSN

  // IsValidNumber. The national significant number equals d: libphonenumber's
  // Italian-leading-zero bookkeeping reproduces the digits exactly.
  bool unsure = false;
  const RegionRules* r = RegionForNumber(book, code, d.view(), &unsure);
  if (unsure) return FastVerdict::kUnsure;
  if (r == nullptr) return FastVerdict::kInvalid;
  if (!r->usable) return FastVerdict::kUnsure;
  RuleType type = r->NumberType(d.view(), &unsure);
  if (unsure) return FastVerdict::kUnsure;
  if (type == RuleType::kUnknown) return FastVerdict::kInvalid;
  WriteE164(code, d.view(), out);
  return FastVerdict::kValid;
}

}  // namespace dialer::phone
