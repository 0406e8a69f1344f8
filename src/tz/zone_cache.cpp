// The process-wide cache of parsed zones.
#include "tz/zone_cache.hpp"

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>

#include "common/error.hpp"

namespace dialer::tz {
namespace {

// Throws the "unknown time zone" error.
[[noreturn]] void Unknown(std::string_view name, const std::string& detail) {
  throw Error(sqlstate::kInvalidParameterValue,
              "time zone \"" + std::string(name) + "\" is not known", detail,
              "Use an IANA zone name such as America/New_York (see pg_timezone_names).");
}

// The directory zones are read from (SetZoneinfoDir; kZoneinfoDir until then).
std::string& ZoneinfoDir() {
  static std::string dir = kZoneinfoDir;
  return dir;
}

// Rejects names that could escape the zoneinfo directory or are not zone-shaped.
void CheckName(std::string_view name) {
  if (name.empty() || name.size() > 255) Unknown(name, "A zone name has 1 to 255 characters.");
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '_' || c == '-' || c == '+';
    if (!ok) Unknown(name, "A zone name contains only letters, digits and / _ - +.");
  }
  // Why: the character set already excludes "." (so no ".." path escapes); a
  // leading "/" or an empty component would still address other files.
  if (name.front() == '/' || name.back() == '/' || name.find("//") != std::string_view::npos)
    Unknown(name, "A zone name is a relative path such as Europe/Paris.");
}

// Reads a whole file, or returns false.
bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return false;
  *out = buf.str();
  return true;
}

std::mutex g_mutex;
std::map<std::string, std::unique_ptr<const Zone>, std::less<>> g_zones;

}  // namespace

const Zone* LoadZone(std::string_view name) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = g_zones.find(name);
  if (it != g_zones.end()) return it->second.get();
  CheckName(name);
  std::string bytes;
  const std::string path = ZoneinfoDir() + "/" + std::string(name);
  if (!ReadFile(path, &bytes) || bytes.compare(0, 4, "TZif") != 0) {
    Unknown(name, "There is no IANA zone file " + path + ".");
  }
  auto zone = std::make_unique<const Zone>(std::string(name), ParseTzif(name, bytes));
  const Zone* result = zone.get();
  g_zones.emplace(std::string(name), std::move(zone));
  return result;
}

void SetZoneinfoDir(std::string_view dir) { ZoneinfoDir() = std::string(dir); }

}  // namespace dialer::tz
