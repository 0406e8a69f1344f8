// The JSON reader: recursive-descent parsing (RFC 8259) with a depth limit.
#include "common/json.hpp"

#include "common/error.hpp"
#include "common/interrupts.hpp"

namespace dialer::json {
namespace {

// Characters of one string read between two interrupt checks.
constexpr size_t kStringCheckBytes = 1 << 16;

// Throws the 22P02 error of a document that is not valid JSON: why, at byte `at`.
[[noreturn]] void ThrowInvalid(std::string_view what, size_t at, const std::string& why) {
  throw Error(sqlstate::kInvalidTextRepresentation,
              "the " + std::string(what) + " is not valid JSON",
              "At byte " + std::to_string(at) + ": " + why + ".", "Pass a JSON object (jsonb).");
}

class Parser {
 public:
  Parser(std::string_view s, std::string_view what) : s_(s), what_(what) {}

  Value Document() {
    Value v = Any(0);
    SkipSpace();
    if (pos_ != s_.size()) Fail("unexpected text after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void Fail(const std::string& why) const { ThrowInvalid(what_, pos_, why); }
  void SkipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void Expect(char c) {
    if (!Eat(c)) Fail(std::string("expected '") + c + "'");
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Value Any(int depth) {
    if (depth > kMaxDepth) ThrowTooDeep(what_, pos_);
    SkipSpace();
    if (pos_ >= s_.size()) Fail("unexpected end of input");
    Value v;
    const char c = s_[pos_];
    if (c == '{') return Object(depth);
    if (c == '[') return Array(depth);
    if (c == '"') {
      v.type = Value::Type::kString;
      v.text = String();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.type = Value::Type::kNumber;
      v.text = Number();
    } else if (Literal("true") || Literal("false")) {
      v.type = Value::Type::kBool;
      v.boolean = c == 't';
    } else if (!Literal("null")) {
      Fail("expected a JSON value");
    }
    return v;
  }

  Value Object(int depth) {
    Value v;
    v.type = Value::Type::kObject;
    Expect('{');
    if (Eat('}')) return v;
    do {
      CheckForInterrupts();
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"') Fail("expected a member name");
      std::string key = String();
      if (v.Find(key) != nullptr) Fail("duplicate member \"" + key + "\"");
      Expect(':');
      v.members.emplace_back(std::move(key), Any(depth + 1));
    } while (Eat(','));
    Expect('}');
    return v;
  }

  Value Array(int depth) {
    Value v;
    v.type = Value::Type::kArray;
    Expect('[');
    if (Eat(']')) return v;
    do {
      CheckForInterrupts();
      v.items.push_back(Any(depth + 1));
    } while (Eat(','));
    Expect(']');
    return v;
  }

  // Digits at the cursor; returns how many.
  size_t Digits() {
    size_t n = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_, ++n;
    return n;
  }

  std::string Number() {
    const size_t begin = pos_;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '0') {
      ++pos_;
    } else if (Digits() == 0) {
      Fail("a number needs digits");
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (Digits() == 0) Fail("a decimal point needs digits after it");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (Digits() == 0) Fail("an exponent needs digits");
    }
    return std::string(s_.substr(begin, pos_ - begin));
  }

  // Four hex digits of a \u escape.
  unsigned Hex4() {
    if (s_.size() - pos_ < 4) Fail("a \\u escape needs four hex digits");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = s_[pos_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v |= c - 'A' + 10;
      else
        Fail("a \\u escape needs four hex digits");
    }
    return v;
  }

  // Appends a code point as UTF-8.
  static void AppendUtf8(std::string* out, unsigned cp) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  void Escape(std::string* out) {
    if (pos_ >= s_.size()) Fail("unterminated string");
    const char c = s_[pos_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out->push_back(c);
        return;
      case 'b':
        out->push_back('\b');
        return;
      case 'f':
        out->push_back('\f');
        return;
      case 'n':
        out->push_back('\n');
        return;
      case 'r':
        out->push_back('\r');
        return;
      case 't':
        out->push_back('\t');
        return;
      case 'u':
        break;
      default:
        Fail("unknown escape sequence");
    }
    unsigned cp = Hex4();
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (!Literal("\\u")) Fail("a high surrogate must be followed by a low one");
      const unsigned low = Hex4();
      if (low < 0xDC00 || low > 0xDFFF) Fail("a high surrogate must be followed by a low one");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      Fail("a lone low surrogate");
    }
    AppendUtf8(out, cp);
  }

  std::string String() {
    ++pos_;  // the opening quote
    std::string out;
    // Why a countdown of its own: a string may be megabytes long, and a check per
    // character would cost as much as the copy.
    size_t until_check = kStringCheckBytes;
    while (true) {
      if (--until_check == 0) {
        until_check = kStringCheckBytes;
        CheckForInterruptsNow();
      }
      if (pos_ >= s_.size()) Fail("unterminated string");
      const char c = s_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        Escape(&out);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        Fail("a control character inside a string");
      } else {
        out.push_back(c);
      }
    }
  }

  std::string_view s_;
  std::string_view what_;
  size_t pos_ = 0;
};

}  // namespace

const Value* Value::Find(std::string_view key) const {
  for (const auto& m : members) {
    if (m.first == key) return &m.second;
  }
  return nullptr;
}

const char* TypeName(Value::Type type) {
  switch (type) {
    case Value::Type::kNull:
      return "null";
    case Value::Type::kBool:
      return "a boolean";
    case Value::Type::kNumber:
      return "a number";
    case Value::Type::kString:
      return "a string";
    case Value::Type::kArray:
      return "an array";
    case Value::Type::kObject:
      return "an object";
  }
  return "a value";
}

Value Parse(std::string_view text, std::string_view what) { return Parser(text, what).Document(); }

void ThrowTooDeep(std::string_view what, size_t at) {
  ThrowInvalid(what, at, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
}

}  // namespace dialer::json
