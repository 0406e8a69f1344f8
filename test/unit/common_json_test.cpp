// The one JSON writer (common/json.hpp): string escaping, jsonb's output style, the
// builders, and round trips between the writer and the reader.
#include <gtest/gtest.h>

#include <string>

#include "common/error.hpp"
#include "common/json.hpp"

namespace dialer::json {
namespace {

// s as a JSON string literal.
std::string Quoted(std::string_view s) {
  std::string out;
  AppendString(&out, s);
  return out;
}

TEST(CommonJsonWriter, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(Quoted("plain"), "\"plain\"");
  EXPECT_EQ(Quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Quoted("a\nb\tc"), "\"a\\u000ab\\u0009c\"");
  EXPECT_EQ(Quoted(std::string("\0\x1f", 2)), "\"\\u0000\\u001f\"");
  EXPECT_EQ(Quoted("é/€ \x7f"), "\"é/€ \x7f\"");  // UTF-8, '/' and DEL pass through
  EXPECT_EQ(Quoted(""), "\"\"");
}

TEST(CommonJsonWriter, WritesInJsonbsOutputStyle) {
  Value doc = Value::Object();
  doc.Add("a", Value::Integer(-12))
      .Add("b", Value::Array().Push(Value::Bool(true)).Push(Value()).Push(Value::String("x")))
      .Add("c", Value::Object())
      .Add("d", Value::Array());
  EXPECT_EQ(Write(doc), R"({"a": -12, "b": [true, null, "x"], "c": {}, "d": []})");
  EXPECT_EQ(Write(Value::Bool(false)), "false");
  EXPECT_EQ(Write(Value()), "null");
}

TEST(CommonJsonWriter, KeepsMembersInTheOrderAdded) {
  Value doc = Value::Object();
  doc.Add("z", Value::Integer(1)).Add("a", Value::Integer(2));
  EXPECT_EQ(Write(doc), R"({"z": 1, "a": 2})");
  ASSERT_NE(doc.Find("a"), nullptr);
  EXPECT_EQ(doc.Find("a")->text, "2");
  EXPECT_EQ(doc.Find("b"), nullptr);
}

TEST(CommonJsonRoundTrip, WriteOfParseGivesTheCanonicalTextBack) {
  for (const char* text :
       {R"({"max_attempts": 6, "classes": {"busy": {"delays": ["5m", "1h"], "jitter": 0.20}}})",
        R"([1.50, -0, 1e3, 2E-7, true, false, null, "a\"b", [], {}])", R"("only a string")",
        R"({"days": {"mon": [["09:00", "17:00"]]}, "blackout_dates": []})"}) {
    EXPECT_EQ(Write(Parse(text, "document")), text);
  }
}

TEST(CommonJsonRoundTrip, ParseOfWriteGivesTheTreeBack) {
  std::string all_bytes;
  for (int c = 1; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  Value doc = Value::Object();
  doc.Add(all_bytes, Value::String(all_bytes)).Add("n", Value::Integer(INT64_MIN));
  const Value back = Parse(Write(doc), "document");
  ASSERT_EQ(back.members.size(), 2u);
  EXPECT_EQ(back.members[0].first, all_bytes);
  EXPECT_EQ(back.members[0].second.text, all_bytes);
  EXPECT_EQ(back.members[1].second.type, Value::Type::kNumber);
  EXPECT_EQ(back.members[1].second.text, "-9223372036854775808");
  EXPECT_EQ(Write(back), Write(doc));
}

TEST(CommonJsonReader, TooDeepNamesTheDocumentAndTheByte) {
  const std::string deep = std::string(65, '[') + "1" + std::string(65, ']');
  try {
    Parse(deep, "retry policy");
    FAIL() << "a document 65 deep was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.sqlstate(), "22P02");
    EXPECT_STREQ(e.what(), "the retry policy is not valid JSON");
    EXPECT_EQ(e.detail(), "At byte 65: nesting deeper than 64 levels.");
  }
  EXPECT_NO_THROW(Parse(std::string(64, '[') + std::string(64, ']'), "retry policy"));
  try {
    ThrowTooDeep("calling windows", 7);
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "the calling windows is not valid JSON");
    EXPECT_EQ(e.detail(), "At byte 7: nesting deeper than 64 levels.");
  }
}

}  // namespace
}  // namespace dialer::json
