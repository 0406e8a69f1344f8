// The built-in rule packs and their sources. Entries DOMAIN.md marks "(check)"
// were confirmed only second-hand; docs/schedule.md repeats that caveat.
#include "schedule/rule_packs.hpp"

#include <string>

namespace dialer::schedule {
namespace {

constexpr int32_t H(int hours) { return hours * 3600; }
constexpr int64_t kDay = 86400;

// Builds the packs once.
std::vector<RulePack> BuildPacks() {
  const auto every_day = {1, 2, 3, 4, 5, 6, 7};
  std::vector<RulePack> packs;
  packs.push_back(RulePack{
      "us_federal",
      "United States (federal)",
      "47 CFR 64.1200(c)(1) (TCPA) and 16 CFR 310.4(c) (Telemarketing Sales Rule): no calls "
      "before 8 a.m. or after 9 p.m. at the called party's location",
      CallingWindows::Weekly(every_day, {{H(8), H(21)}}),
      {},
      0,
      0,
      {}});
  packs.push_back(RulePack{
      "us_fl",
      "Florida",
      "Fla. Stat. 501.616(6)(a)-(b) (Florida Telemarketing Act, as amended by CS/SB 1120, "
      "2021): 8 a.m.-8 p.m. in the called person's time zone, at most 3 calls per 24 hours on "
      "the same subject matter or issue",
      CallingWindows::Weekly(every_day, {{H(8), H(20)}}),
      {Cap{3, kDay}},
      0,
      0,
      {}});
  packs.push_back(RulePack{
      "us_ok",
      "Oklahoma",
      "Okla. Stat. tit. 15, 775C.4 (Oklahoma Telephone Solicitation Act of 2022): 8 a.m.-8 p.m. "
      "local time, at most 3 calls per 24 hours on the same subject (second-hand, verify); "
      "Okla. Stat. tit. 15, 755.1(C)(2)(a): calls by an automatic dial announcing device "
      "(recorded or synthesized voice) only 9 a.m.-9 p.m.",
      CallingWindows::Weekly(every_day, {{H(8), H(20)}}),
      {Cap{3, kDay}},
      0,
      0,
      CallingWindows::Weekly(every_day, {{H(9), H(21)}})});
  packs.push_back(RulePack{
      "us_md",
      "Maryland",
      "Md. Code, Com. Law 14-4501 et seq. (Stop the Spam Calls Act of 2023, in force "
      "2024-01-01), 14-4503 (section second-hand, verify): 8 a.m.-8 p.m. local time, at most 3 "
      "calls per 24 hours on the same subject",
      CallingWindows::Weekly(every_day, {{H(8), H(20)}}),
      {Cap{3, kDay}},
      0,
      0,
      {}});
  packs.push_back(RulePack{
      "uk",
      "United Kingdom",
      "Ofcom, Revised statement of policy on the persistent misuse of an electronic "
      "communications network or service (2016), abandoned calls: no repeat call to the number "
      "within 72 hours of an abandoned call without a guaranteed live operator",
      CallingWindows{},
      {},
      3 * kDay,
      0,
      {}});
  packs.push_back(
      RulePack{"fr",
               "France",
               "Code de la consommation, art. D.223-9 (décret n° 2022-1313, in force 2023-03-01): "
               "Monday-Friday 10:00-13:00 and 14:00-20:00, never on public holidays, at most 4 "
               "solicitations per 30 days, 60 days' rest after a refusal",
               CallingWindows::Weekly({1, 2, 3, 4, 5}, {{H(10), H(13)}, {H(14), H(20)}},
                                      {HolidayCalendar::kFrance}),
               {Cap{4, 30 * kDay}},
               0,
               60 * kDay,
               {}});
  return packs;
}

}  // namespace

const std::vector<RulePack>& AllRulePacks() {
  static const std::vector<RulePack> packs = BuildPacks();
  return packs;
}

const RulePack* RulePackNamed(std::string_view name) {
  for (const RulePack& p : AllRulePacks()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string AllRulePackNames() {
  std::string out;
  for (const RulePack& p : AllRulePacks()) out += (out.empty() ? "" : ", ") + std::string(p.name);
  return out;
}

}  // namespace dialer::schedule
