// Validation of configuration fields with JSON paths: every error names the
// document, the path of the bad field ($.classes.busy.delays[1]) and its value.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/json.hpp"

namespace dialer::schedule {

inline constexpr int64_t kMaxDurationSeconds = 366 * 86400;

// Where a field sits: the document's name and the path inside it.
class FieldPath {
 public:
  explicit FieldPath(std::string_view document) : document_(document), path_("$") {}
  FieldPath Key(std::string_view key) const;
  FieldPath Index(size_t i) const;
  const std::string& path() const { return path_; }
  const std::string& document() const { return document_; }

  // Throws 22023: "invalid <document>: <path> <problem>", with DETAIL and HINT.
  [[noreturn]] void Fail(const std::string& problem, const std::string& detail,
                         const std::string& hint) const;

 private:
  std::string document_;
  std::string path_;
};

// A short rendering of a value for messages: "5x", 12, an object, ...
std::string Describe(const json::Value& v);

// Requires v to have the given type.
void RequireType(const json::Value& v, json::Value::Type type, const FieldPath& at);

// Requires an array of strings; calls each(text, path) for its items in order.
void ForEachString(const json::Value& v, const FieldPath& at,
                   const std::function<void(const std::string&, const FieldPath&)>& each);

// Requires an object whose keys are all in allowed (catches typos).
void RequireKeys(const json::Value& v, std::initializer_list<std::string_view> allowed,
                 const FieldPath& at);

// An integer in [lo, hi].
int64_t Integer(const json::Value& v, int64_t lo, int64_t hi, const FieldPath& at);

// A decimal in [lo, hi] thousandths with at most three decimals, as thousandths.
int64_t Thousandths(const json::Value& v, int64_t lo, int64_t hi, const FieldPath& at);

// A duration: whole seconds, or a string like "90s", "30m", "2h", "1d", "1h30m";
// from min_seconds to 366 days. Returns seconds.
int64_t DurationSeconds(const json::Value& v, int64_t min_seconds, const FieldPath& at);

// "HH:MM" (00:00-23:59, or 24:00 when allow_24) as seconds after midnight.
int32_t TimeOfDay(const json::Value& v, bool allow_24, const FieldPath& at);

// "YYYY-MM-DD" as a day number (days since 1970-01-01).
int64_t Date(const json::Value& v, const FieldPath& at);

// Formats seconds as a compact duration ("1d2h", "30m", "0s").
std::string FormatDuration(int64_t seconds);

}  // namespace dialer::schedule
