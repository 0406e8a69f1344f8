// DigitPattern: parser, backtracking program and automaton for metadata patterns.
#include "phone/digit_pattern.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace dialer::phone {
namespace {

constexpr uint16_t kAllDigits = 0x3FF;
constexpr int kUnbounded = -1;
// Why limits: metadata patterns are small; anything larger is left to ICU.
constexpr size_t kMaxProgram = 20000;
constexpr size_t kMaxStates = 4000;
constexpr int kStepBudget = 200000;
constexpr int kMaxBacktrackFrames = 1024;

// A parsed pattern: one node of the syntax tree.
struct Node {
  enum Kind { kDigits, kConcat, kAlt, kGroup, kRepeat, kEnd } kind = kDigits;
  uint16_t mask = 0;
  int group = 0;  // kGroup: capture index, 0 for (?:...)
  int min = 0;
  int max = 0;  // kRepeat: kUnbounded for * and +
  std::vector<std::unique_ptr<Node>> kids;
};

using NodePtr = std::unique_ptr<Node>;

// A new, empty node of the given kind.
NodePtr MakeNode(Node::Kind kind) {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  return n;
}

// Recursive-descent parser for the metadata dialect; failure leaves ok=false.
class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  // Parses the whole pattern, or returns nullptr.
  NodePtr ParseAll() {
    NodePtr n = ParseAlt();
    if (!ok_ || i_ != p_.size()) return nullptr;
    return n;
  }
  int groups() const { return groups_; }

 private:
  bool AtEnd() const { return i_ >= p_.size(); }
  char Peek() const { return AtEnd() ? '\0' : p_[i_]; }
  NodePtr Fail() {
    ok_ = false;
    return nullptr;
  }

  // alternation := concat ('|' concat)*
  NodePtr ParseAlt() {
    auto alt = MakeNode(Node::kAlt);
    alt->kids.push_back(ParseConcat());
    while (ok_ && Peek() == '|') {
      ++i_;
      alt->kids.push_back(ParseConcat());
    }
    if (!ok_) return nullptr;
    if (alt->kids.size() == 1) return std::move(alt->kids[0]);
    return alt;
  }

  // concat := repeat*
  NodePtr ParseConcat() {
    auto cat = MakeNode(Node::kConcat);
    while (ok_ && !AtEnd() && Peek() != '|' && Peek() != ')') cat->kids.push_back(ParseRepeat());
    return ok_ ? std::move(cat) : nullptr;
  }

  // Reads a decimal number for {n,m}; -1 when absent.
  int ReadNumber() {
    int v = -1;
    while (!AtEnd() && Peek() >= '0' && Peek() <= '9' && v < 1000) {
      v = (v < 0 ? 0 : v * 10) + (Peek() - '0');
      ++i_;
    }
    return v;
  }

  // repeat := atom quantifier*
  NodePtr ParseRepeat() {
    NodePtr atom = ParseAtom();
    while (ok_ && !AtEnd()) {
      int lo, hi;
      char c = Peek();
      if (c == '?') {
        lo = 0, hi = 1, ++i_;
      } else if (c == '*') {
        lo = 0, hi = kUnbounded, ++i_;
      } else if (c == '+') {
        lo = 1, hi = kUnbounded, ++i_;
      } else if (c == '{') {
        ++i_;
        lo = ReadNumber();
        hi = lo;
        if (Peek() == ',') {
          ++i_;
          hi = ReadNumber();
          if (hi < 0) hi = kUnbounded;
        }
        if (lo < 0 || Peek() != '}' || (hi != kUnbounded && hi < lo)) return Fail();
        ++i_;
      } else {
        break;
      }
      // Lazy (??) and possessive (?+) quantifiers are outside the dialect.
      if (Peek() == '?' || Peek() == '+') return Fail();
      auto rep = MakeNode(Node::kRepeat);
      rep->min = lo;
      rep->max = hi;
      rep->kids.push_back(std::move(atom));
      atom = std::move(rep);
    }
    return atom;
  }

  // class := '[' '^'? (digit ('-' digit)? | '\d')+ ']'
  NodePtr ParseClass() {
    ++i_;
    bool negate = Peek() == '^';
    if (negate) ++i_;
    uint16_t mask = 0;
    bool any = false;
    while (!AtEnd() && Peek() != ']') {
      char c = Peek();
      if (c == '\\' && i_ + 1 < p_.size() && p_[i_ + 1] == 'd') {
        mask |= kAllDigits, i_ += 2;
      } else if (c >= '0' && c <= '9') {
        ++i_;
        char hi = c;
        if (Peek() == '-' && i_ + 1 < p_.size() && p_[i_ + 1] >= '0' && p_[i_ + 1] <= '9') {
          hi = p_[i_ + 1];
          i_ += 2;
        }
        if (hi < c) return Fail();
        for (char d = c; d <= hi; ++d) mask |= uint16_t(1u << (d - '0'));
      } else {
        return Fail();
      }
      any = true;
    }
    if (AtEnd() || !any) return Fail();
    ++i_;
    // Why complement within digits is exact: subjects only ever hold digits.
    auto n = MakeNode(Node::kDigits);
    n->mask = negate ? uint16_t(~mask & kAllDigits) : mask;
    return n;
  }

  // atom := digit | '\d' | class | '(' alternation ')' | '(?:' alternation ')' | '$'
  NodePtr ParseAtom() {
    char c = Peek();
    if (c >= '0' && c <= '9') {
      ++i_;
      auto n = MakeNode(Node::kDigits);
      n->mask = uint16_t(1u << (c - '0'));
      return n;
    }
    if (c == '\\') {
      if (i_ + 1 >= p_.size() || p_[i_ + 1] != 'd') return Fail();
      i_ += 2;
      auto n = MakeNode(Node::kDigits);
      n->mask = kAllDigits;
      return n;
    }
    if (c == '[') return ParseClass();
    if (c == '$') {
      ++i_;
      return MakeNode(Node::kEnd);
    }
    if (c == '(') {
      ++i_;
      auto g = MakeNode(Node::kGroup);
      if (p_.substr(i_, 2) == "?:") {
        i_ += 2;
      } else if (Peek() == '?') {
        return Fail();  // look-around and other (?...) forms
      } else {
        g->group = ++groups_;
      }
      g->kids.push_back(ParseAlt());
      if (!ok_ || Peek() != ')') return Fail();
      ++i_;
      return g;
    }
    return Fail();
  }

  std::string_view p_;
  size_t i_ = 0;
  int groups_ = 0;
  bool ok_ = true;
};

// True when n can match the empty string.
bool Nullable(const Node& n) {
  switch (n.kind) {
    case Node::kDigits:
      return false;
    case Node::kEnd:
      return true;
    case Node::kConcat:
      return std::all_of(n.kids.begin(), n.kids.end(),
                         [](const NodePtr& k) { return Nullable(*k); });
    case Node::kAlt:
      return std::any_of(n.kids.begin(), n.kids.end(),
                         [](const NodePtr& k) { return Nullable(*k); });
    case Node::kGroup:
      return Nullable(*n.kids[0]);
    case Node::kRepeat:
      return n.min == 0 || Nullable(*n.kids[0]);
  }
  return true;
}

using Instruction = DigitPattern::Instruction;

// Emits the backtracking program for a syntax tree; false when it grows too big
// or repeats something that can match empty (ICU's empty-loop rules differ).
class Emitter {
 public:
  explicit Emitter(std::vector<Instruction>* out) : out_(*out) {}

  bool Emit(const Node& n) {
    if (out_.size() > kMaxProgram) return false;
    switch (n.kind) {
      case Node::kDigits:
        return Push({Instruction::kDigits, n.mask});
      case Node::kEnd:
        return Push({Instruction::kAssertEnd});
      case Node::kConcat:
        for (const NodePtr& k : n.kids)
          if (!Emit(*k)) return false;
        return true;
      case Node::kAlt:
        return EmitAlt(n);
      case Node::kGroup:
        return EmitGroup(n);
      case Node::kRepeat:
        return EmitRepeat(n);
    }
    return false;
  }

 private:
  bool Push(Instruction ins) {
    out_.push_back(ins);
    return out_.size() <= kMaxProgram;
  }

  // a|b|c: split(a, split(b, c)), each branch jumping to the common end.
  bool EmitAlt(const Node& n) {
    std::vector<size_t> jumps;
    for (size_t k = 0; k < n.kids.size(); ++k) {
      size_t split = out_.size();
      bool last = k + 1 == n.kids.size();
      if (!last) Push({Instruction::kSplit, 0, int(split + 1), 0});
      if (!Emit(*n.kids[k])) return false;
      if (!last) {
        jumps.push_back(out_.size());
        Push({Instruction::kJump});
        out_[split].y = int(out_.size());
      }
    }
    for (size_t j : jumps) out_[j].x = int(out_.size());
    return true;
  }

  bool EmitGroup(const Node& n) {
    if (n.group == 0) return Emit(*n.kids[0]);
    if (n.group > PrefixMatch::kMaxGroups) return false;
    Push({Instruction::kSave, 0, 2 * n.group});
    if (!Emit(*n.kids[0])) return false;
    return Push({Instruction::kSave, 0, 2 * n.group + 1});
  }

  // x{min,max}: min copies, then greedy optional copies nested so that more
  // iterations are always preferred (the same priority order as ICU).
  bool EmitRepeat(const Node& n) {
    const Node& kid = *n.kids[0];
    if (Nullable(kid) && n.max != 1) return false;
    for (int k = 0; k < n.min; ++k)
      if (!Emit(kid)) return false;
    if (n.max == kUnbounded) {
      size_t loop = out_.size();
      Push({Instruction::kSplit, 0, int(loop + 1), 0});
      if (!Emit(kid)) return false;
      Push({Instruction::kJump, 0, int(loop)});
      out_[loop].y = int(out_.size());
      return true;
    }
    std::vector<size_t> splits;
    for (int k = n.min; k < n.max; ++k) {
      splits.push_back(out_.size());
      Push({Instruction::kSplit, 0, int(out_.size() + 1), 0});
      if (!Emit(kid)) return false;
    }
    for (size_t s : splits) out_[s].y = int(out_.size());
    return true;
  }

  std::vector<Instruction>& out_;
};

// Epsilon closure of pcs: the consuming, matching and end-asserting
// instructions reachable without reading a digit. at_end also follows '$'.
std::vector<int> Closure(const std::vector<Instruction>& prog, const std::vector<int>& pcs,
                         bool at_end) {
  std::vector<char> seen(prog.size(), 0);
  std::vector<int> todo(pcs.begin(), pcs.end()), kernel;
  while (!todo.empty()) {
    int pc = todo.back();
    todo.pop_back();
    if (seen[pc]) continue;
    seen[pc] = 1;
    const Instruction& ins = prog[pc];
    switch (ins.op) {
      case Instruction::kDigits:
      case Instruction::kMatch:
        kernel.push_back(pc);
        break;
      case Instruction::kAssertEnd:
        if (at_end)
          todo.push_back(pc + 1);
        else
          kernel.push_back(pc);
        break;
      case Instruction::kSave:
        todo.push_back(pc + 1);
        break;
      case Instruction::kJump:
        todo.push_back(ins.x);
        break;
      case Instruction::kSplit:
        todo.push_back(ins.y);
        todo.push_back(ins.x);
        break;
    }
  }
  std::sort(kernel.begin(), kernel.end());
  return kernel;
}

}  // namespace

std::string_view PrefixMatch::Group(std::string_view subject, int g) const {
  int b = spans[2 * g], e = spans[2 * g + 1];
  if (g < 1 || g > kMaxGroups || b < 0 || e < b) return {};
  return subject.substr(size_t(b), size_t(e - b));
}

std::unique_ptr<DigitPattern> DigitPattern::Compile(std::string_view pattern) {
  Parser parser(pattern);
  NodePtr tree = parser.ParseAll();
  if (!tree) return nullptr;
  std::unique_ptr<DigitPattern> p(new DigitPattern());
  p->group_count_ = parser.groups();
  Emitter emitter(&p->program_);
  if (!emitter.Emit(*tree)) return nullptr;
  p->program_.push_back({Instruction::kMatch});
  p->BuildAutomaton();
  return p;
}

// Subset construction over the program; leaves dfa_ empty when too large.
void DigitPattern::BuildAutomaton() {
  std::map<std::vector<int>, int> ids;
  std::vector<std::vector<int>> states;
  auto intern = [&](std::vector<int> s) {
    auto [it, fresh] = ids.emplace(std::move(s), int(states.size()));
    if (fresh) states.push_back(it->first);
    return it->second;
  };
  intern(Closure(program_, {0}, false));
  for (size_t s = 0; s < states.size(); ++s) {
    if (states.size() > kMaxStates) {
      dfa_.clear();
      accepting_.clear();
      return;
    }
    dfa_.resize((s + 1) * 10, -1);
    bool accept = false;
    for (int pc : states[s]) {
      const Instruction& ins = program_[pc];
      if (ins.op == Instruction::kMatch) accept = true;
      if (ins.op == Instruction::kAssertEnd) {
        for (int k : Closure(program_, {pc + 1}, true))
          if (program_[k].op == Instruction::kMatch) accept = true;
      }
    }
    accepting_.push_back(accept);
    for (int d = 0; d < 10; ++d) {
      std::vector<int> next;
      for (int pc : states[s]) {
        const Instruction& ins = program_[pc];
        if (ins.op == Instruction::kDigits && (ins.mask >> d & 1)) next.push_back(pc + 1);
      }
      if (next.empty()) continue;
      dfa_[s * 10 + d] = intern(Closure(program_, next, false));
    }
  }
}

PrefixMatch DigitPattern::MatchPrefix(std::string_view digits) const { return Run(digits, false); }

bool DigitPattern::FullMatch(std::string_view digits, bool* gave_up) const {
  *gave_up = false;
  if (dfa_.empty()) {
    PrefixMatch m = Run(digits, true);
    *gave_up = m.gave_up;
    return m.matched;
  }
  int s = 0;
  for (char c : digits) {
    unsigned d = unsigned(c - '0');
    if (d > 9) return false;
    s = dfa_[size_t(s) * 10 + d];
    if (s < 0) return false;
  }
  return accepting_[size_t(s)] != 0;
}

// The backtracking interpreter: explores alternatives in priority order and
// returns the first match (with require_end, the first that ends at the end).
PrefixMatch DigitPattern::Run(std::string_view s, bool require_end) const {
  struct Frame {
    int pc, pos;    // a choice point to resume, when slot < 0
    int slot, old;  // a capture to restore, when slot >= 0
  };
  Frame stack[kMaxBacktrackFrames];
  int depth = 0;
  PrefixMatch m;
  m.spans.fill(-1);
  const int n = int(s.size());
  int pc = 0, pos = 0, steps = 0;
  for (;;) {
    if (++steps > kStepBudget) {
      m.gave_up = true;
      return m;
    }
    const Instruction& ins = program_[pc];
    bool fail = false;
    switch (ins.op) {
      case Instruction::kDigits: {
        unsigned d = pos < n ? unsigned(s[pos] - '0') : 10u;
        if (d <= 9 && (ins.mask >> d & 1))
          ++pos, ++pc;
        else
          fail = true;
        break;
      }
      case Instruction::kSplit:
        if (depth == kMaxBacktrackFrames) {
          m.gave_up = true;
          return m;
        }
        stack[depth++] = {ins.y, pos, -1, 0};
        pc = ins.x;
        break;
      case Instruction::kJump:
        pc = ins.x;
        break;
      case Instruction::kSave:
        if (depth == kMaxBacktrackFrames) {
          m.gave_up = true;
          return m;
        }
        stack[depth++] = {0, 0, ins.x, m.spans[ins.x]};
        m.spans[ins.x] = pos;
        ++pc;
        break;
      case Instruction::kAssertEnd:
        if (pos == n)
          ++pc;
        else
          fail = true;
        break;
      case Instruction::kMatch:
        if (require_end && pos != n) {
          fail = true;
          break;
        }
        m.matched = true;
        m.end = pos;
        return m;
    }
    if (!fail) continue;
    for (;;) {
      if (depth == 0) return m;  // no match; spans are all restored to -1
      Frame f = stack[--depth];
      if (f.slot >= 0) {
        m.spans[f.slot] = f.old;
        continue;
      }
      pc = f.pc;
      pos = f.pos;
      break;
    }
  }
}

}  // namespace dialer::phone
