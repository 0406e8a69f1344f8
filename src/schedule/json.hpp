// A small JSON reader for the scheduler's configuration documents (retry
// policies, calling windows). Values keep numbers as their source text so
// validation can insist on exact integers and decimals without rounding.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dialer::schedule::json {

// One parsed JSON value.
struct Value {
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  Type type = Type::kNull;
  bool boolean = false;
  std::string text;  // a string's decoded value, or a number's source text
  std::vector<Value> items;
  std::vector<std::pair<std::string, Value>> members;  // in document order

  // The member named key, or nullptr.
  const Value* Find(std::string_view key) const;
};

// The JSON type's name as used in error messages ("an object", "a string", ...).
const char* TypeName(Value::Type type);

// Parses a JSON document. what names the document in errors ("retry policy");
// malformed input throws dialer::Error 22P02 with the byte offset.
Value Parse(std::string_view text, std::string_view what);

}  // namespace dialer::schedule::json
