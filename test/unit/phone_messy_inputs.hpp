// A deterministic generator of messy phone-number inputs, shared by the
// differential unit test and the benchmark's corpus builder: numbers from 30
// regions written nationally, internationally, with IDD prefixes, punctuation,
// vanity letters, extensions, RFC 3966 and full-width forms, plus mutations
// that make many of them invalid and some plain garbage.
#pragma once

#include <phonenumbers/phonenumberutil.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "phone_examples.hpp"

namespace dialer::phone::testing {

// One generated case: the raw text and the region to parse it with ("" = none).
struct MessyInput {
  std::string text;
  std::string region;
};

class MessyInputs {
 public:
  // The regions the corpus is drawn from (30 of them, every continent).
  static const std::vector<std::string>& Regions() {
    static const std::vector<std::string> regions = {
        "US", "CA", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO", "PL", "IE",
        "PT", "BR", "AR", "MX", "CO", "IN", "CN", "JP", "KR", "AU", "NZ", "ZA", "NG", "RU", "SG"};
    return regions;
  }

  explicit MessyInputs(uint64_t seed) : rng_(seed) { LoadExamples(); }

  // The next generated input.
  MessyInput Next() {
    int kind = Pick(100);
    if (kind < 4) return Garbage();
    const std::string& region = Regions()[Pick(Regions().size())];
    i18n::phonenumbers::PhoneNumber number = Mutate(RandomExample(region));
    MessyInput in;
    in.region = ParseRegion(region);
    in.text = Write(number, region, in.region);
    if (Pick(100) < 8) in.text = Decorate(in.text);
    return in;
  }

 private:
  using PNU = i18n::phonenumbers::PhoneNumberUtil;

  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  // Example numbers of every type for each region: the seeds of the corpus.
  void LoadExamples() {
    const PNU& util = *PNU::GetInstance();
    for (const std::string& region : Regions()) {
      std::vector<i18n::phonenumbers::PhoneNumber> list;
      ForEachExample(util, region,
                     [&](const i18n::phonenumbers::PhoneNumber& n) { list.push_back(n); });
      examples_.push_back(list);
    }
  }

  const i18n::phonenumbers::PhoneNumber& RandomExample(const std::string& region) {
    for (size_t i = 0; i < Regions().size(); ++i) {
      if (Regions()[i] == region) return examples_[i][Pick(examples_[i].size())];
    }
    return examples_[0][0];
  }

  // Changes the trailing digits (usually still valid), or the length (often not).
  i18n::phonenumbers::PhoneNumber Mutate(const i18n::phonenumbers::PhoneNumber& n) {
    std::string nsn;
    PNU::GetInstance()->GetNationalSignificantNumber(n, &nsn);
    int how = int(Pick(100));
    size_t keep = nsn.size() > 4 ? nsn.size() - 4 : 1;
    if (how < 70) {
      for (size_t i = keep; i < nsn.size(); ++i) nsn[i] = char('0' + Pick(10));
    } else if (how < 80) {
      nsn.push_back(char('0' + Pick(10)));
    } else if (how < 90) {
      nsn.pop_back();
    } else {
      for (size_t i = 1; i < nsn.size(); ++i) nsn[i] = char('0' + Pick(10));
    }
    i18n::phonenumbers::PhoneNumber out;
    PNU::GetInstance()->Parse("+" + std::to_string(n.country_code()) + nsn, "ZZ", &out);
    if (!out.has_country_code()) out = n;
    return out;
  }

  // The region given with the input: usually the number's, sometimes another
  // country's, sometimes none.
  std::string ParseRegion(const std::string& own) {
    int r = int(Pick(100));
    if (r < 70) return own;
    if (r < 85) return Regions()[Pick(Regions().size())];
    return "";
  }

  std::string Write(const i18n::phonenumbers::PhoneNumber& n, const std::string& own,
                    const std::string& parse_region) {
    const PNU& util = *PNU::GetInstance();
    std::string s;
    int style = int(Pick(100));
    if (style < 25) {
      util.Format(n, PNU::NATIONAL, &s);
    } else if (style < 45) {
      util.Format(n, PNU::INTERNATIONAL, &s);
    } else if (style < 60) {
      util.Format(n, PNU::E164, &s);
    } else if (style < 72) {
      util.FormatOutOfCountryCallingNumber(n, parse_region.empty() ? own : parse_region, &s);
    } else if (style < 80) {
      util.Format(n, PNU::NATIONAL, &s);
      s = Digits(s);
    } else if (style < 86) {
      util.Format(n, PNU::INTERNATIONAL, &s);
      s = Repunctuate(s);
    } else if (style < 90) {
      util.Format(n, PNU::RFC3966, &s);
    } else if (style < 95) {
      util.Format(n, PNU::NATIONAL, &s);
      s = Vanity(s);
    } else {
      util.Format(n, PNU::INTERNATIONAL, &s);
      s = Extension(s);
    }
    return s;
  }

  static std::string Digits(const std::string& s) {
    std::string d;
    for (char c : s)
      if (c >= '0' && c <= '9') d += c;
    return d;
  }

  // Swaps the separators for dots, dashes, slashes or parentheses.
  std::string Repunctuate(const std::string& s) {
    static const char* seps[] = {".", "-", "/", " ", "", " - "};
    const char* sep = seps[Pick(6)];
    std::string out;
    for (char c : s) out += c == ' ' ? std::string(sep) : std::string(1, c);
    if (Pick(3) == 0) {
      size_t sp = out.find_first_of(".-/ ", 4);
      if (sp != std::string::npos)
        out = out.substr(0, 3) + "(" + out.substr(3, sp - 3) + ")" + out.substr(sp);
    }
    return out;
  }

  // Replaces the trailing digits 2-9 with keypad letters ("1-800-FLOWERS"),
  // or, now and then, digits in the middle ("555-CALL-NOW1").
  std::string Vanity(std::string s) {
    static const char* letters[] = {"",    "",    "ABC",  "DEF", "GHI",
                                    "JKL", "MNO", "PQRS", "TUV", "WXYZ"};
    size_t changed = 0, want = 2 + Pick(5);
    size_t i = s.size();
    if (Pick(5) == 0 && i > 2) i -= 2;
    while (i-- > 0 && changed < want) {
      int d = s[i] - '0';
      if (d == 0 || d == 1 || s[i] == ' ' || s[i] == '-') break;
      if (d < 2 || d > 9) continue;
      const char* l = letters[d];
      s[i] = l[Pick(std::char_traits<char>::length(l))];
      if (Pick(2)) s[i] = char(s[i] | 0x20);
      ++changed;
    }
    return s;
  }

  std::string Extension(const std::string& s) {
    static const char* labels[] = {" ext. ",      " ext ", " x",   " X ",
                                   " extension ", "#",     " ,, ", ";ext="};
    std::string ext = std::to_string(1 + Pick(Pick(2) ? 999 : 99999999));
    return s + labels[Pick(8)] + ext;
  }

  // Junk around the number, full-width digits, stray letters.
  std::string Decorate(const std::string& s) {
    int how = int(Pick(6));
    if (how == 0) return "Tel: " + s;
    if (how == 1) return s + ".";
    if (how == 2) return "  " + s + "  ";
    if (how == 3) {
      std::string out;
      for (char c : s)
        out += c >= '0' && c <= '9' ? std::string("\xEF\xBC") + char(0x90 + (c - '0'))
                                    : std::string(1, c);
      return out;
    }
    if (how == 4) return "(" + s + ")";
    return s + " (mobile)";
  }

  // Inputs that are not numbers, or barely.
  MessyInput Garbage() {
    static const char* junk[] = {"",
                                 " ",
                                 "n/a",
                                 "--",
                                 "+",
                                 "++44",
                                 "12",
                                 "123",
                                 "unknown",
                                 "0",
                                 "00",
                                 "+0 123 456",
                                 "+999 123 456 789",
                                 "911",
                                 "112",
                                 "'; DROP TABLE x; --",
                                 "+1 (",
                                 "1-800-FLOWERS",
                                 "tel:",
                                 "()"};
    MessyInput in;
    in.text = junk[Pick(sizeof junk / sizeof *junk)];
    if (Pick(2)) {
      size_t len = 1 + Pick(25);
      in.text.clear();
      for (size_t i = 0; i < len; ++i) in.text += "0123456789+- ()x."[Pick(17)];
    }
    in.region = Pick(3) ? Regions()[Pick(Regions().size())] : "";
    return in;
  }

  std::mt19937_64 rng_;
  std::vector<std::vector<i18n::phonenumbers::PhoneNumber>> examples_;
};

}  // namespace dialer::phone::testing
