// Writes the benchmark corpus for bench/phone.sh: N messy phone inputs from the
// same generator as the differential unit test, as COPY text rows
// "<input>\t<region or \N>". Usage: phone_corpus N [seed]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "phone_messy_inputs.hpp"

namespace {

// Escapes a value for COPY's text format.
std::string CopyEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\t')
      out += "\\t";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else
      out += c;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s N [seed]\n", argv[0]);
    return 2;
  }
  long n = std::atol(argv[1]);
  uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  dialer::phone::testing::MessyInputs gen(seed);
  for (long i = 0; i < n; ++i) {
    dialer::phone::testing::MessyInput in = gen.Next();
    std::string line = CopyEscape(in.text) + '\t' + (in.region.empty() ? "\\N" : in.region) + '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  return 0;
}
