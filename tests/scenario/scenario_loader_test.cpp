// Loading complete scenarios: the quickstart's site, explicit sessions, params and seeds.
#include "scenario_test_util.hpp"

#include "scenario/scenario_builder.hpp"

#include <gmock/gmock.h>

#include <algorithm>
#include <set>

namespace evtwin::test {
namespace {

using ::testing::HasSubstr;

ScenarioSpec quickstart(std::optional<std::uint64_t> seed = std::nullopt) {
    ScenarioLoadOptions options;
    options.seed = seed;
    return load_scenario(source_file("scenarios/quickstart.lua"), options);
}

bool same_sessions(const std::vector<SessionSpec>& a, const std::vector<SessionSpec>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].arrival != b[i].arrival || a[i].departure != b[i].departure ||
            a[i].declared_departure != b[i].declared_departure || a[i].initial_soc != b[i].initial_soc ||
            a[i].requested_kwh != b[i].requested_kwh || a[i].vehicle.model != b[i].vehicle.model ||
            a[i].vehicle.capacity_kwh != b[i].vehicle.capacity_kwh) {
            return false;
        }
    }
    return true;
}

TEST(ScenarioLoader, QuickstartSite) {
    const ScenarioSpec spec = quickstart();
    EXPECT_EQ(spec.name, "quickstart");
    EXPECT_EQ(spec.timezone, "Asia/Seoul");
    // Monday 2024-07-01 00:00 in Seoul is 2024-06-30 15:00 UTC.
    EXPECT_EQ(format_utc(spec.start), "2024-06-30T15:00:00.000Z");
    EXPECT_EQ((spec.end - spec.start).ms(), Duration::days(7).ms());
    EXPECT_EQ(spec.control_period.ms(), Duration::minutes(15).ms());

    ASSERT_GE(spec.nodes.size(), 2u);
    EXPECT_EQ(spec.nodes[0].kind, NodeKind::grid);
    EXPECT_EQ(spec.nodes[0].parent, kNone);
    const auto transformer = std::find_if(spec.nodes.begin(), spec.nodes.end(),
                                          [](const NodeSpec& n) { return n.kind == NodeKind::transformer; });
    ASSERT_NE(transformer, spec.nodes.end());
    EXPECT_DOUBLE_EQ(transformer->import_limit_kw, 150.0);
    EXPECT_EQ(transformer->parent, 0u);

    ASSERT_EQ(spec.chargers.size(), 20u);
    int v2g = 0;
    std::set<std::string> names;
    for (const auto& c : spec.chargers) {
        EXPECT_DOUBLE_EQ(c.max_kw, 11.0);
        EXPECT_FALSE(c.dc);
        EXPECT_LT(c.parent, spec.nodes.size());
        EXPECT_NE(spec.nodes[c.parent].kind, NodeKind::grid) << "chargers hang below the transformer";
        v2g += c.v2g_capable ? 1 : 0;
        names.insert(c.name);
    }
    EXPECT_EQ(v2g, 4);
    EXPECT_EQ(names.size(), 20u);

    ASSERT_EQ(spec.pv.size(), 1u);
    EXPECT_DOUBLE_EQ(spec.pv[0].kwp, 50.0);
    ASSERT_FALSE(spec.pv[0].profile.empty());
    double peak = 0.0;
    for (double v : spec.pv[0].profile.v) peak = std::max(peak, v);
    EXPECT_GT(peak, 0.1) << "a July week has sun";
    EXPECT_LE(peak, 1.0) << "kW per kWp";

    ASSERT_EQ(spec.ess.size(), 1u);
    EXPECT_DOUBLE_EQ(spec.ess[0].capacity_kwh, 100.0);
    EXPECT_DOUBLE_EQ(spec.ess[0].max_charge_kw, 50.0);
    EXPECT_DOUBLE_EQ(spec.ess[0].max_discharge_kw, 50.0);

    ASSERT_NE(spec.tariff, nullptr);
    EXPECT_EQ(spec.tariff->currency(), "KRW");
    // KEPCO summer, weekday: 03:00 is off-peak and 15:00 is peak, so peak costs more.
    const TimeZone seoul("Asia/Seoul");
    const double night = spec.tariff->import_price(parse_time("2024-07-02T03:00", seoul));
    const double afternoon = spec.tariff->import_price(parse_time("2024-07-02T15:00", seoul));
    EXPECT_GT(afternoon, night);

    ASSERT_GT(spec.sessions.size(), 100u) << "~30 per weekday over 5 weekdays";
    EXPECT_LT(spec.sessions.size(), 250u);
    std::size_t v2g_sessions = 0;
    for (std::size_t i = 0; i < spec.sessions.size(); ++i) {
        const auto& s = spec.sessions[i];
        EXPECT_EQ(s.id, i);
        if (i > 0) {
            EXPECT_LE(spec.sessions[i - 1].arrival, s.arrival);
        }
        EXPECT_GE(s.arrival, spec.start);
        EXPECT_LT(s.arrival, spec.end);
        EXPECT_GT(s.departure, s.arrival);
        EXPECT_FALSE(s.vehicle.curve.empty());
        v2g_sessions += s.vehicle.v2g_allowed ? 1 : 0;
    }
    EXPECT_GT(v2g_sessions, 0u) << "some vehicles are V2G-capable";
    EXPECT_LT(v2g_sessions, spec.sessions.size() / 2) << "most are not";
}

TEST(ScenarioLoader, WhatTheSiteWantsOfItsEssAtTheEndIsRead) {
    const auto file =
        write_scenario("ess_end.lua", std::string(kHeader) +
                                          "ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, "
                                          "end_value_per_kwh = 0.08, end_soc = 0.6 }\n");
    const auto spec = load_scenario(file);
    ASSERT_EQ(spec.ess.size(), 1u);
    EXPECT_DOUBLE_EQ(spec.ess[0].end_value_per_kwh, 0.08);
    EXPECT_EQ(spec.ess[0].end_soc, 0.6);
    const auto without = load_scenario(write_scenario(
        "ess_no_end.lua",
        std::string(kHeader) + "ess { capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5 }\n"));
    EXPECT_DOUBLE_EQ(without.ess[0].end_value_per_kwh, 0.0);
    EXPECT_FALSE(without.ess[0].end_soc.has_value());
}

TEST(ScenarioLoader, AnEssGridPermissionsAndPriorityAreRead) {
    const auto spec = load_scenario(
        write_scenario("ess_permissions.lua",
                       std::string(kHeader) +
                           "ess { name = 'a', capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, "
                           "grid_charge = false, priority = 3 }\n"
                           "ess { name = 'b', capacity_kwh = 10, max_charge_kw = 5, max_discharge_kw = 5, "
                           "grid_discharge = false }\n"));
    ASSERT_EQ(spec.ess.size(), 2u);
    EXPECT_FALSE(spec.ess[0].grid_charge);
    EXPECT_TRUE(spec.ess[0].grid_discharge);
    EXPECT_EQ(spec.ess[0].priority, 3);
    EXPECT_TRUE(spec.ess[1].grid_charge);
    EXPECT_FALSE(spec.ess[1].grid_discharge);
    EXPECT_EQ(spec.ess[1].priority, 0);
}

TEST(ScenarioLoader, EachEssBlockIsABatteryOfItsOwn) {
    const auto spec = load_scenario(write_scenario(
        "two_ess.lua",
        std::string(kHeader) +
            "ess { name = 'container', capacity_kwh = 200, max_charge_kw = 100, max_discharge_kw = 50 }\n"
            "ess { name = 'wall', capacity_kwh = 13.5, max_charge_kw = 5, max_discharge_kw = 5, "
            "charge_efficiency = 0.97, soc_min = 0.05, soc_max = 1.0, end_soc = 0.5 }\n"));
    ASSERT_EQ(spec.ess.size(), 2u);
    EXPECT_EQ(spec.ess[0].name, "container");
    EXPECT_DOUBLE_EQ(spec.ess[0].max_discharge_kw, 50.0);
    EXPECT_EQ(spec.ess[1].name, "wall");
    EXPECT_DOUBLE_EQ(spec.ess[1].capacity_kwh, 13.5);
    EXPECT_DOUBLE_EQ(spec.ess[1].charge_efficiency, 0.97);
    EXPECT_EQ(spec.ess[1].end_soc, 0.5);
    EXPECT_FALSE(spec.ess[0].end_soc.has_value());
}

TEST(ScenarioLoader, QuickstartSeeds) {
    const auto a = quickstart();
    const auto b = quickstart();
    EXPECT_TRUE(same_sessions(a.sessions, b.sessions));
    EXPECT_TRUE(same_sessions(quickstart(a.seed).sessions, a.sessions));
    const auto other = quickstart(a.seed + 1);
    EXPECT_EQ(other.seed, a.seed + 1);
    EXPECT_FALSE(same_sessions(other.sessions, a.sessions));
    EXPECT_TRUE(same_sessions(other.sessions, quickstart(a.seed + 1).sessions));
}

TEST(ScenarioLoader, ExplicitSessions) {
    const auto spec = load_scenario(source_file("tests/scenario/cases/explicit_sessions.lua"));
    EXPECT_EQ(spec.seed, 3u);
    EXPECT_EQ(spec.strategy, "edf");
    EXPECT_EQ(spec.strategy_options,
              (StrategyOptions{{"horizon", "12"}, {"mode", "fast"}, {"verbose", "true"}}));
    EXPECT_EQ(spec.control_period.ms(), Duration::minutes(5).ms());
    EXPECT_EQ(spec.forecast_horizon.ms(), Duration::hours(6).ms());
    EXPECT_DOUBLE_EQ(spec.nodes[0].import_limit_kw, 40.0);
    EXPECT_DOUBLE_EQ(spec.nodes[0].export_limit_kw, 0.0);
    EXPECT_DOUBLE_EQ(spec.nodes[1].import_limit_kw, 40.0);
    EXPECT_DOUBLE_EQ(spec.nodes[1].export_limit_kw, 40.0);
    ASSERT_EQ(spec.chargers.size(), 2u);
    EXPECT_TRUE(spec.chargers[0].dc);
    EXPECT_EQ(spec.chargers[1].setpoints_kw, (std::vector<double>{0, 3.7, 7.4, 11}));
    EXPECT_DOUBLE_EQ(spec.chargers[1].min_kw, 1.4);
    EXPECT_TRUE(spec.chargers[1].v2g_capable);
    EXPECT_DOUBLE_EQ(spec.economics.charging_price_per_kwh, 0.35);
    EXPECT_DOUBLE_EQ(spec.economics.v2g_price_factor, 1.2);
    EXPECT_DOUBLE_EQ(spec.economics.ev_degradation_per_kwh, 0.05);
    ASSERT_EQ(spec.loads.size(), 1u);
    EXPECT_DOUBLE_EQ(spec.loads[0].kw.value_at(spec.start), 5.0);
    EXPECT_DOUBLE_EQ(spec.loads[0].kw.value_at(spec.end - Duration(1)), 5.0);

    ASSERT_EQ(spec.sessions.size(), 2u);
    const TimeZone seoul("Asia/Seoul");
    const auto& first = spec.sessions[0];  // declared second, arrives first
    EXPECT_EQ(first.id, 0u);
    EXPECT_EQ(first.arrival, parse_time("2024-07-01T08:00", seoul));
    EXPECT_EQ(format_utc(first.arrival), "2024-06-30T23:00:00.000Z");
    EXPECT_EQ(first.declared_departure, first.departure);
    EXPECT_DOUBLE_EQ(first.requested_kwh, 20.0);
    EXPECT_LT(first.target_soc, 0.0);
    EXPECT_DOUBLE_EQ(first.vehicle.max_ac_kw, 7.4);
    EXPECT_DOUBLE_EQ(first.vehicle.charge_efficiency, 0.9);
    EXPECT_TRUE(first.vehicle.v2g_allowed);
    EXPECT_DOUBLE_EQ(first.vehicle.max_discharge_kw, 7.4) << "V2G power defaults to the AC power";
    EXPECT_DOUBLE_EQ(first.vehicle.min_soc, 0.25);
    ASSERT_EQ(first.vehicle.curve.size(), 3u);
    EXPECT_DOUBLE_EQ(first.vehicle.curve[2].fraction, 0.2);

    const auto& second = spec.sessions[1];
    EXPECT_EQ(second.id, 1u);
    EXPECT_EQ(second.station, "DC1");
    EXPECT_EQ(second.vehicle.model, "Ioniq 5");
    EXPECT_EQ(second.declared_departure, parse_time("2024-07-01T18:00", seoul));
    EXPECT_EQ(second.departure, parse_time("2024-07-01T18:30", seoul));
    EXPECT_DOUBLE_EQ(second.target_soc, 0.8);
    EXPECT_LT(second.requested_kwh, 0.0);
    EXPECT_FALSE(second.vehicle.v2g_allowed);
    EXPECT_DOUBLE_EQ(second.vehicle.max_discharge_kw, 0.0);
    // No curve given and the station is DC: the default DC curve.
    ASSERT_EQ(second.vehicle.curve.size(), default_dc_curve().size());
    EXPECT_DOUBLE_EQ(second.vehicle.curve[1].soc, 0.8);
    EXPECT_DOUBLE_EQ(second.vehicle.curve[2].fraction, 0.1);
}

// mode = "acnsim": decision periods, the run until the last vehicle has left (its departure's period
// included), and the tariff read on the start's UTC offset (PST here, after DST began on 10 March).
TEST(ScenarioLoader, AcnCompatibleModeRunsUntilTheLastDepartureAndBillsOnTheStartsOffset) {
    const auto text = [](const std::string& mode, const std::string& tariff_zone) {
        return R"(scenario { name = "acn", timezone = "America/Los_Angeles", start = "2019-03-08", stop = "2019-03-12",
                   control_period = minutes(5), mode = ")" +
               mode + R"(" }
grid { export_kw = 0 }
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json"))" +
               tariff_zone + R"( }
charger { name = "CA-1", max_kw = 6.656, voltage_v = 208 }
session { arrival = "2019-03-11T09:02", departure = "2019-03-13T17:58", requested_kwh = 10, capacity_kwh = 20,
          station = "CA-1" }
)";
    };
    const TimeZone la("America/Los_Angeles");
    const Time noon_thirty = parse_time("2019-03-11T12:30", la);  // 11:30 PST: mid-peak, not on-peak
    const ScenarioSpec acn = load_scenario(write_scenario("acnsim", text("acnsim", "")));
    EXPECT_TRUE(acn.decision_period_mode);
    EXPECT_TRUE(acn.acn_compatible);
    EXPECT_EQ(acn.end, parse_time("2019-03-13T18:00", la));
    EXPECT_DOUBLE_EQ(acn.tariff->import_price(noon_thirty), 0.07492);

    const ScenarioSpec periods = load_scenario(write_scenario("periods", text("decision_period", "")));
    EXPECT_TRUE(periods.decision_period_mode);
    EXPECT_FALSE(periods.acn_compatible);
    EXPECT_EQ(periods.end, parse_time("2019-03-12", la));
    EXPECT_DOUBLE_EQ(periods.tariff->import_price(noon_thirty), 0.0869);

    // A tariff that names its zone keeps it.
    const ScenarioSpec zoned =
        load_scenario(write_scenario("acn-zoned", text("acnsim", ", timezone = \"America/Los_Angeles\"")));
    EXPECT_DOUBLE_EQ(zoned.tariff->import_price(noon_thirty), 0.0869);
    EXPECT_THAT(load_error(write_scenario("bad-mode", text("acn", ""))), HasSubstr("\"acnsim\""));
}

TEST(ScenarioLoader, ParamOverridesAreTypedLikeTheDefault) {
    const auto file = write_scenario("params", std::string(kHeader) + R"(
local kw = param("transformer_kw", 150)
local name = param("name", "T1")
local v2g = param("v2g", false)
local eff = param("eff", 0.97)
transformer { name = name, limit_kw = kw }
charger { name = "c", parent = name, max_kw = 11, v2g = v2g, efficiency = eff }
assert(math.type(kw) == "integer", "an integer default and an integer value stay integer")
)");
    auto spec = load_scenario(file);
    EXPECT_DOUBLE_EQ(spec.nodes[1].import_limit_kw, 150.0);
    EXPECT_EQ(spec.nodes[1].name, "T1");
    EXPECT_FALSE(spec.chargers[0].v2g_capable);

    ScenarioLoadOptions options;
    options.params = {{"transformer_kw", "80"}, {"name", "TX"}, {"v2g", "true"}, {"eff", "0.9"}};
    spec = load_scenario(file, options);
    EXPECT_DOUBLE_EQ(spec.nodes[1].import_limit_kw, 80.0);
    EXPECT_EQ(spec.nodes[1].name, "TX");
    EXPECT_TRUE(spec.chargers[0].v2g_capable);
    EXPECT_DOUBLE_EQ(spec.chargers[0].efficiency, 0.9);

    options.params = {{"v2g", "maybe"}};
    EXPECT_THAT(load_error(file, options), HasSubstr("param 'v2g': -D v2g=maybe is not a boolean"));
}

TEST(ScenarioLoader, DataRootComesFromTheOptions) {
    const auto root = temp_dir("scenario-data-root-folder");
    write_file(root / "loads" / "office.csv", "x\n");
    const auto file =
        write_scenario("data-root", "assert(data(\"loads/office.csv\") == \"" +
                                        (root / "loads" / "office.csv").string() + "\")\nerror(\"ok\", 0)\n");
    ScenarioLoadOptions options;
    options.data_dir = root;
    EXPECT_EQ(load_error(file, options), file.lexically_normal().string() + ": ok");
    EXPECT_EQ(scenario_data_root(options), root);
}

// A data folder given relative to the working directory (--data-dir ../shared/data) is taken from
// there, not from the scenario's folder: data("...") gives a path that reads the same file.
TEST(ScenarioLoader, ARelativeDataRootIsFromTheWorkingDirectory) {
    const auto root = temp_dir("relative-data-folder");
    write_file(root / "loads" / "office.csv", "x\n");
    const auto file =
        write_scenario("relative-data-root", "assert(data(\"loads/office.csv\") == \"" +
                                                 (root / "loads" / "office.csv").lexically_normal().string() +
                                                 "\")\nerror(\"ok\", 0)\n");
    ScenarioLoadOptions options;
    options.data_dir = std::filesystem::relative(root, std::filesystem::current_path());
    ASSERT_TRUE(options.data_dir.is_relative());
    EXPECT_EQ(load_error(file, options), file.lexically_normal().string() + ": ok");
    EXPECT_EQ(scenario_data_root(options), root.lexically_normal());
}

TEST(ScenarioLoader, ScenarioSeedDefaultsAndOverride) {
    const auto file = write_scenario("seed", R"(
scenario { name = "s", start = "2016-03-07T06:00Z", stop = "2016-03-08T06:00Z" }
grid {}
tariff { prices_csv = data("prices/nl_day_ahead_2016.csv"), timezone = "Europe/Amsterdam" }
)");
    EXPECT_EQ(load_scenario(file).seed, 1u);
    ScenarioLoadOptions options;
    options.seed = 77;
    const auto spec = load_scenario(file, options);
    EXPECT_EQ(spec.seed, 77u);
    EXPECT_EQ(format_utc(spec.start), "2016-03-07T06:00:00.000Z");
    EXPECT_EQ((spec.end - spec.start).ms(), Duration::days(1).ms());
    EXPECT_EQ(spec.timezone, "UTC");
    EXPECT_EQ(spec.strategy, "uncontrolled");
}

}  // namespace
}  // namespace evtwin::test

namespace evtwin::test {
namespace {

TEST(ScenarioLoader, AcnSessionsMergeWithExplicitOnes) {
    const auto file = write_scenario("acn", R"(
scenario { name = "caltech", timezone = "America/Los_Angeles", start = "2021-03-01", duration = days(7) }
grid { import_kw = 300 }
for i = 1, 10 do charger { name = "EV" .. i, max_kw = 7 } end
tariff { file = data("tariffs/sce_tou_ev_4_march_2019.json") }
arrivals.acn_json { file = data("sessions/acn_caltech_2020-12_2021-09.json"), capacity_kwh = 50, max_kw = 6.6 }
session { arrival = "2021-03-01T00:05", departure = "2021-03-01T06:00", requested_kwh = 10 }
)");
    const auto spec = load_scenario(file);
    ASSERT_GT(spec.sessions.size(), 20u);
    EXPECT_EQ(spec.sessions[0].requested_kwh, 10.0) << "the explicit session arrives first";
    for (std::size_t i = 0; i < spec.sessions.size(); ++i) {
        const auto& s = spec.sessions[i];
        EXPECT_EQ(s.id, i);
        EXPECT_GE(s.arrival, spec.start);
        EXPECT_LT(s.arrival, spec.end);
        if (i > 0) {
            EXPECT_LE(spec.sessions[i - 1].arrival, s.arrival);
        }
        EXPECT_FALSE(s.vehicle.curve.empty());
    }
    EXPECT_DOUBLE_EQ(spec.sessions[1].vehicle.capacity_kwh, 50.0);
}

TEST(ScenarioLoader, LoaderErrorsCarryTheStatementLine) {
    const auto dir = temp_dir("scenario-loader-error");
    write_file(dir / "bad_tariff.json", "{ \"format\": \"evtwin-tariff\" ");
    const auto file = write_file(dir / "s.lua",
                                 "scenario { name = \"t\", start = \"2024-07-01\", duration = days(1) }\n"
                                 "grid {}\n"
                                 "tariff { file = \"bad_tariff.json\" }\n");
    EXPECT_THAT(load_error(file), ::testing::StartsWith(at(file, 3) + "tariff: "));

    const auto variant =
        write_file(dir / "v.lua",
                   "scenario { name = \"t\", start = \"2024-07-01\", duration = days(1) }\n"
                   "grid {}\n\n"
                   "tariff { file = \"" +
                       source_file("scenarios/tariffs/kepco_ev_self_consumption.json").string() +
                       "\", variant = \"medium_voltage\" }\n");
    const std::string message = load_error(variant);
    EXPECT_THAT(message, ::testing::StartsWith(at(variant, 4) + "tariff: "));
    EXPECT_THAT(message, HasSubstr("low_voltage"));
}

}  // namespace
}  // namespace evtwin::test
