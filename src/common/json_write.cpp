// The JSON writer: building value trees and printing them as text.
#include "common/interrupts.hpp"
#include "common/json.hpp"

namespace dialer::json {
namespace {

// Appends v (any type) to out.
void Append(std::string* out, const Value& v);

// Appends an array's items, separated like jsonb's output.
void AppendArray(std::string* out, const Value& v) {
  out->push_back('[');
  for (size_t i = 0; i < v.items.size(); ++i) {
    CheckForInterrupts();
    if (i > 0) out->append(", ");
    Append(out, v.items[i]);
  }
  out->push_back(']');
}

// Appends an object's members in the tree's order.
void AppendObject(std::string* out, const Value& v) {
  out->push_back('{');
  for (size_t i = 0; i < v.members.size(); ++i) {
    CheckForInterrupts();
    if (i > 0) out->append(", ");
    AppendString(out, v.members[i].first);
    out->append(": ");
    Append(out, v.members[i].second);
  }
  out->push_back('}');
}

void Append(std::string* out, const Value& v) {
  switch (v.type) {
    case Value::Type::kNull:
      out->append("null");
      return;
    case Value::Type::kBool:
      out->append(v.boolean ? "true" : "false");
      return;
    case Value::Type::kNumber:
      out->append(v.text);
      return;
    case Value::Type::kString:
      AppendString(out, v.text);
      return;
    case Value::Type::kArray:
      AppendArray(out, v);
      return;
    case Value::Type::kObject:
      AppendObject(out, v);
      return;
  }
}

}  // namespace

Value Value::String(std::string s) {
  Value v;
  v.type = Type::kString;
  v.text = std::move(s);
  return v;
}

Value Value::Bool(bool b) {
  Value v;
  v.type = Type::kBool;
  v.boolean = b;
  return v;
}

Value Value::Integer(int64_t n) {
  Value v;
  v.type = Type::kNumber;
  v.text = std::to_string(n);
  return v;
}

Value Value::Array() {
  Value v;
  v.type = Type::kArray;
  return v;
}

Value Value::Object() {
  Value v;
  v.type = Type::kObject;
  return v;
}

Value& Value::Add(std::string key, Value v) {
  members.emplace_back(std::move(key), std::move(v));
  return *this;
}

Value& Value::Push(Value v) {
  items.push_back(std::move(v));
  return *this;
}

void AppendString(std::string* out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t plain = 0;  // start of the run of characters copied as they are
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + plain, i - plain);
    plain = i + 1;
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + plain, s.size() - plain);
  out->push_back('"');
}

std::string Write(const Value& v) {
  std::string out;
  Append(&out, v);
  return out;
}

}  // namespace dialer::json
