// DigitPattern against ICU, the engine libphonenumber uses: for every pattern in
// libphonenumber's metadata, on generated digit strings, whole-string matches
// and anchored prefix matches (end and capture groups) must be identical.
#include <gtest/gtest.h>
#include <unicode/regex.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "phone/digit_pattern.hpp"
#include "phone/library.hpp"

namespace dialer::phone {
namespace {

// Every pattern string the fast path compiles, with where it came from.
std::vector<std::pair<std::string, std::string>> MetadataPatterns() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& m : CompiledMetadata().metadata()) {
    const i18n::phonenumbers::PhoneNumberDesc* descs[] = {
        &m.general_desc(), &m.fixed_line(),  &m.mobile(),          &m.toll_free(),
        &m.premium_rate(), &m.shared_cost(), &m.personal_number(), &m.voip(),
        &m.pager(),        &m.uan(),         &m.voicemail()};
    for (const auto* d : descs)
      if (!d->national_number_pattern().empty())
        out.emplace_back(m.id(), d->national_number_pattern());
    for (const std::string& p :
         {m.national_prefix_for_parsing(), m.international_prefix(), m.leading_digits()})
      if (!p.empty()) out.emplace_back(m.id(), p);
  }
  return out;
}

// ICU's lookingAt()/matches() on s, as libphonenumber's ICU adapter runs them.
struct IcuResult {
  bool full = false;
  bool prefix = false;
  int end = -1;
  std::vector<std::string> groups;
};

IcuResult RunIcu(icu::RegexPattern& pattern, const std::string& s) {
  IcuResult r;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString subject = icu::UnicodeString::fromUTF8(s);
  std::unique_ptr<icu::RegexMatcher> m(pattern.matcher(subject, status));
  r.full = m->matches(status);
  m->reset();
  r.prefix = m->lookingAt(status);
  if (r.prefix) {
    r.end = m->end(status);
    for (int g = 1; g <= m->groupCount(); ++g) {
      std::string text;
      m->group(g, status).toUTF8String(text);
      r.groups.push_back(text);
    }
  }
  EXPECT_TRUE(U_SUCCESS(status));
  return r;
}

// Short fixed strings (IDD and national prefixes) and random digit strings.
std::vector<std::string> Subjects(std::mt19937_64& rng) {
  std::vector<std::string> out = {"", "0", "1", "00", "011", "8", "810", "0011"};
  std::uniform_int_distribution<int> digit(0, 9), len(1, 17);
  for (int i = 0; i < 60; ++i) {
    std::string s;
    for (int n = len(rng); n > 0; --n) s += char('0' + digit(rng));
    out.push_back(s);
  }
  return out;
}

TEST(PhoneDigitPattern, EveryMetadataPatternCompilesWithAnAutomaton) {
  int failures = 0;
  for (const auto& [region, p] : MetadataPatterns()) {
    std::unique_ptr<DigitPattern> d = DigitPattern::Compile(p);
    if (d == nullptr || !d->has_automaton()) {
      ++failures;
      ADD_FAILURE() << region << ": " << p;
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(PhoneDigitPattern, AgreesWithIcuOnEveryMetadataPattern) {
  std::mt19937_64 rng(7);
  size_t compared = 0;
  for (const auto& [region, p] : MetadataPatterns()) {
    std::unique_ptr<DigitPattern> ours = DigitPattern::Compile(p);
    ASSERT_NE(ours, nullptr) << p;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::RegexPattern> icu(
        icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(p), 0, status));
    ASSERT_TRUE(U_SUCCESS(status)) << p;
    std::unique_ptr<icu::RegexMatcher> probe(icu->matcher(status));
    EXPECT_EQ(ours->group_count(), probe->groupCount()) << p;
    std::vector<std::string> subjects = Subjects(rng);
    // Grow accepted prefixes so that matching paths, not only failures, are compared.
    std::string grown;
    for (int step = 0; step < 17; ++step) {
      for (char c = '0'; c <= '9'; ++c) {
        if (ours->MatchPrefix(grown + c).matched || RunIcu(*icu, grown + c).prefix) {
          grown += c;
          break;
        }
      }
      subjects.push_back(grown);
      subjects.push_back(grown + char('0' + step % 10));
    }
    for (const std::string& s : subjects) {
      IcuResult want = RunIcu(*icu, s);
      bool gave_up = false;
      EXPECT_EQ(ours->FullMatch(s, &gave_up), want.full) << region << " " << p << " on " << s;
      EXPECT_FALSE(gave_up);
      PrefixMatch got = ours->MatchPrefix(s);
      ASSERT_EQ(got.matched, want.prefix) << region << " " << p << " on " << s;
      if (got.matched) {
        EXPECT_EQ(got.end, want.end) << region << " " << p << " on " << s;
        for (int g = 1; g <= ours->group_count(); ++g)
          EXPECT_EQ(std::string(got.Group(s, g)), want.groups[size_t(g - 1)]) << p << " on " << s;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 100000u);
}

TEST(PhoneDigitPattern, PrefersTheFirstAlternativeAndGreedyRepeats) {
  auto p = DigitPattern::Compile("(1|12)(\\d{1,3})");
  ASSERT_NE(p, nullptr);
  PrefixMatch m = p->MatchPrefix("12345");
  ASSERT_TRUE(m.matched);
  EXPECT_EQ(m.end, 4);  // "1" then greedy "234"
  EXPECT_EQ(m.Group("12345", 1), "1");
  EXPECT_EQ(m.Group("12345", 2), "234");
}

TEST(PhoneDigitPattern, UnsetOptionalGroupIsEmpty) {
  auto p = DigitPattern::Compile("0(?:(11|343)15)?");
  ASSERT_NE(p, nullptr);
  PrefixMatch m = p->MatchPrefix("0223");
  ASSERT_TRUE(m.matched);
  EXPECT_EQ(m.end, 1);
  EXPECT_EQ(m.Group("0223", 1), "");
  m = p->MatchPrefix("01115123");
  EXPECT_EQ(m.end, 5);
  EXPECT_EQ(m.Group("01115123", 1), "11");
}

TEST(PhoneDigitPattern, EndAnchorOnlyMatchesAtTheEnd) {
  auto p = DigitPattern::Compile("1|([2-9]\\d{6})$");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->MatchPrefix("2345678").matched);
  EXPECT_FALSE(p->MatchPrefix("23456789").matched);
  EXPECT_EQ(p->MatchPrefix("12345678").end, 1);
}

TEST(PhoneDigitPattern, RejectsSyntaxOutsideTheDialect) {
  for (const char* p :
       {"a", "\\w", "(?=1)", "1??", "1{2", "[a-z]", "(1", "1)", "\\1", "(?i)1", "."})
    EXPECT_EQ(DigitPattern::Compile(p), nullptr) << p;
}

TEST(PhoneDigitPattern, NonDigitSubjectsNeverMatch) {
  auto p = DigitPattern::Compile("\\d{3}");
  bool gave_up = false;
  EXPECT_FALSE(p->FullMatch("12a", &gave_up));
  EXPECT_FALSE(p->MatchPrefix("1+3").matched);
}

}  // namespace
}  // namespace dialer::phone
