// DigitPattern: a small regular-expression engine for libphonenumber's metadata
// patterns, which only ever describe strings of ASCII digits.
//
// Why our own engine: libphonenumber matches these patterns with ICU regexes,
// which dominates its cost. The metadata uses a tiny dialect (digits, \d,
// classes, (?:), capturing (), |, ?, *, +, {n}, {n,m}, $), so we compile each
// pattern once into
//  * a backtracking program with ICU/Perl priority semantics (leftmost, greedy,
//    first alternative wins, last capture of a repeated group), used for the
//    anchored "Consume" matches that strip prefixes and capture groups, and
//  * a deterministic automaton for whole-string matches (validity checks).
// A pattern using anything outside the dialect fails to compile, and callers
// then leave that input to libphonenumber itself.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dialer::phone {

// The outcome of an anchored match: whether it matched, where it ended and the
// span of each capturing group (-1 when the group did not take part).
struct PrefixMatch {
  static constexpr int kMaxGroups = 4;
  bool matched = false;
  // True when the step budget ran out: the answer is unknown, not "no match".
  bool gave_up = false;
  int end = 0;
  std::array<int, 2 * (kMaxGroups + 1)> spans{};

  // The text of capturing group g (1-based) within subject, empty if unset.
  std::string_view Group(std::string_view subject, int g) const;
};

class DigitPattern {
 public:
  // Compiles pattern; returns nullptr when it uses syntax outside the dialect.
  static std::unique_ptr<DigitPattern> Compile(std::string_view pattern);

  // Number of capturing groups, as ICU's groupCount() reports it.
  int group_count() const { return group_count_; }

  // ICU lookingAt(): the highest-priority match starting at offset 0.
  PrefixMatch MatchPrefix(std::string_view digits) const;

  // ICU matches(): does the whole of digits match? Sets *gave_up when the
  // backtracking budget ran out (only possible without an automaton).
  bool FullMatch(std::string_view digits, bool* gave_up) const;

  // True when whole-string matching runs on a deterministic automaton.
  bool has_automaton() const { return !dfa_.empty(); }

  struct Instruction;

 private:
  DigitPattern() = default;
  PrefixMatch Run(std::string_view digits, bool require_end) const;
  void BuildAutomaton();

  std::vector<Instruction> program_;
  int group_count_ = 0;
  // dfa_[state * 10 + digit] = next state, or -1; state 0 is the start.
  std::vector<int32_t> dfa_;
  std::vector<uint8_t> accepting_;
};

// One instruction of a compiled pattern's backtracking program.
struct DigitPattern::Instruction {
  enum Op : uint8_t { kDigits, kSplit, kJump, kSave, kAssertEnd, kMatch };
  Op op;
  uint16_t mask = 0;  // kDigits: bit d set when digit d is accepted
  int x = 0;          // kSplit: preferred target; kJump: target; kSave: slot
  int y = 0;          // kSplit: alternative target
};

}  // namespace dialer::phone
