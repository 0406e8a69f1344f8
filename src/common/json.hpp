// JSON for the cores: one value tree, its reader (the scheduler's configuration
// documents when they arrive as text) and its writer (explanations, phone facts).
// Values keep numbers as their source text so validation can insist on exact
// integers and decimals without rounding. The boundary (src/pg/jsonb.hpp) converts
// the same tree from and to jsonb, so every JSON fact has one representation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dialer::json {

// Deeper documents are rejected: configuration never nests this far, and the
// limit keeps hostile input from exhausting the stack.
inline constexpr int kMaxDepth = 64;

// One JSON value.
struct Value {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string text;  // a string's decoded value, or a number's source text
  std::vector<Value> items;
  std::vector<std::pair<std::string, Value>> members;  // in document order

  // The member named key, or nullptr.
  const Value* Find(std::string_view key) const;

  // A string value.
  static Value String(std::string s);
  // A boolean value.
  static Value Bool(bool b);
  // An integer, kept as its decimal text like a parsed number.
  static Value Integer(int64_t n);
  // An empty array.
  static Value Array();
  // An empty object.
  static Value Object();

  // Appends a member to an object (the caller keeps names unique); returns *this.
  Value& Add(std::string key, Value v);
  // Appends an item to an array; returns *this.
  Value& Push(Value v);
};

// The JSON type's name as used in error messages ("an object", "a string", ...).
const char* TypeName(Value::Type type);

// Parses a JSON document. what names the document in errors ("retry policy");
// malformed input throws dialer::Error 22P02 with the byte offset.
Value Parse(std::string_view text, std::string_view what);

// Throws Parse's error for a document nested deeper than kMaxDepth, found at byte
// `at` of its text (for readers of other representations, e.g. jsonb).
[[noreturn]] void ThrowTooDeep(std::string_view what, size_t at);

// Appends s to out as a JSON string literal: quotes, backslashes and control
// characters escaped (the latter as \u00XX).
void AppendString(std::string* out, std::string_view s);

// The document as JSON text in jsonb's output style ({"a": 1, "b": [true, null]}),
// members in the tree's order.
std::string Write(const Value& v);

}  // namespace dialer::json
