#include "data/arrivals.hpp"
#include "data/elaadnl_tables.hpp"
#include "data/ev_models.hpp"
#include "data_checks.hpp"
#include "model/local_time.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace evtwin {
namespace {

using test::error_of;
using test::write_file;

std::filesystem::path arrivals_dir() {
    return test::data_file("arrivals");
}

TEST(ElaadnlTables, SlotTablesKeepValuesAndFillGapsAroundMidnight) {
    const auto demand = read_slot_table(arrivals_dir() / "elaadnl_mean-demand-per-arrival.csv", "work");
    ASSERT_EQ(demand.slot_minutes, 30);
    ASSERT_EQ(demand.values.size(), 48u);
    EXPECT_DOUBLE_EQ(demand.at_minute(5 * 60), 10.8555097087379);
    EXPECT_DOUBLE_EQ(demand.at_minute(8 * 60 + 29), 15.5212659069326);
    // "work" is empty from 19:00 to 04:30: linear from 18:30 (slot 37) to 05:00 (slot 10), 21 slots.
    const double a = 12.0279777777778, b = 10.8555097087379;
    EXPECT_NEAR(demand.at_minute(19 * 60), a + (b - a) * 1.0 / 21.0, 1e-12);
    EXPECT_NEAR(demand.at_minute(0), a + (b - a) * 11.0 / 21.0, 1e-12);
    EXPECT_NEAR(demand.at_minute(4 * 60 + 30), a + (b - a) * 20.0 / 21.0, 1e-12);

    const auto home = read_slot_table(arrivals_dir() / "elaadnl_mean-session-length-per.csv", "home");
    EXPECT_DOUBLE_EQ(home.at_minute(0), 9.3);  // rows are out of order in the file
    EXPECT_DOUBLE_EQ(home.at_minute(23 * 60 + 45), 9.5);
}

TEST(ElaadnlTables, ArrivalSharesAreNormalisedAndWorkplaceWeekendUsesPublic) {
    const auto t = load_elaadnl_tables(arrivals_dir(), "workplace");
    ASSERT_EQ(t.arrival_weekday.slot_minutes, 15);
    ASSERT_EQ(t.arrival_weekday.values.size(), 96u);
    double sum = 0.0;
    for (double v : t.arrival_weekday.values) sum += v;
    EXPECT_NEAR(sum, 1.0, 1e-12);
    // Ratios between slots are the file's: 08:45 / 07:00 workplace weekday.
    EXPECT_NEAR(t.arrival_weekday.at_minute(8 * 60 + 45) / t.arrival_weekday.at_minute(7 * 60),
                7.74552159459496 / 2.80615334921468, 1e-12);
    const auto pub = load_elaadnl_tables(arrivals_dir(), "public");
    EXPECT_EQ(t.arrival_weekend.values, pub.arrival_weekend.values);
    EXPECT_THROW(load_elaadnl_tables(arrivals_dir(), "depot"), DataError);
}

TEST(ElaadnlTables, QuantileShapesHaveMeanOne) {
    // Means of the quantile curves (trapezoid over p), checked independently with python3's csv
    // module: energy private 23.86, public 11.95, workplace 12.36 kWh; connection time 11.76, 7.86,
    // 6.35 h. They agree with the arrival-weighted means of the per-slot tables (25.1, 15.7, 14.3 kWh;
    // 11.6, 7.1, 6.2 h), which is why the files are read as quantiles and not as survival in kWh.
    const auto energy =
        QuantileShape::read(arrivals_dir() / "elaadnl_distribution-of-energy-demand.csv", "private");
    EXPECT_NEAR(energy.mean(), 23.86, 0.01);
    const auto stay =
        QuantileShape::read(arrivals_dir() / "elaadnl_distribution-of-connection-time.csv", "workplace");
    EXPECT_NEAR(stay.mean(), 6.35, 0.01);
    EXPECT_NEAR(stay.max_factor(), 72.0 / stay.mean(), 1e-12);
    Rng rng(3);
    double sum = 0.0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        const double x = stay.draw(rng);
        ASSERT_GE(x, 0.0);
        ASSERT_LE(x, stay.max_factor());
        sum += x;
    }
    // sd of the factor is about 1.5, so the standard error of the mean of 200000 draws is ~0.0034.
    EXPECT_NEAR(sum / n, 1.0, 0.015);
}

TEST(ElaadnlTables, BadTablesNameFileAndLine) {
    const auto dir = test::temp_dir("elaadnl-bad");
    const auto slot_error = [&](const std::string& name, const std::string& text) {
        return error_of<DataError>([&] { read_slot_table(write_file(dir / name, text), "x"); });
    };
    const auto shape_error = [&](const std::string& name, const std::string& text) {
        return error_of<DataError>([&] { QuantileShape::read(write_file(dir / name, text), "x"); });
    };
    auto msg = slot_error("a.csv", "t,x\n00:00,1\n25:00,2\n");
    EXPECT_NE(msg.find("a.csv:3: expected a clock time HH:MM"), std::string::npos) << msg;
    msg = slot_error("b.csv", "t,x\n00:00,1\n00:00,2\n");
    EXPECT_NE(msg.find("b.csv:3: duplicate time slot"), std::string::npos) << msg;
    msg = slot_error("c.csv", "t,x\n00:00,1\n12:00,-2\n");
    EXPECT_NE(msg.find("c.csv:3: expected a value >= 0"), std::string::npos) << msg;
    msg = slot_error("d.csv", "t,x\n00:00,\n12:00,\n");
    EXPECT_NE(msg.find("has no values"), std::string::npos) << msg;
    msg = shape_error("e.csv", "p,x\n0,10\n50,12\n100,0\n");
    EXPECT_NE(msg.find("e.csv:3: expected non-negative values that do not increase"), std::string::npos)
        << msg;
    msg = shape_error("f.csv", "p,x\n0,10\n50,5\n");
    EXPECT_NE(msg.find("from 0 to 100 percent"), std::string::npos) << msg;
    // Two known points, 12 h apart, on a 12 h grid: the gaps are the average of the circle.
    const auto two =
        read_slot_table(write_file(dir / "g.csv", "t,x\n00:00,1\n06:00,\n12:00,3\n18:00,\n"), "x");
    EXPECT_EQ(two.values, (std::vector<double>{1, 2, 3, 2}));
}

TEST(EvModels, ReadsFleetsAndV2g) {
    const auto fleet = load_ev_models(arrivals_dir() / "elaadnl_ev_specs.json");
    ASSERT_EQ(fleet.size(), 13u);
    EXPECT_EQ(fleet[0].vehicle.model, "Tesla Model 3");  // file order
    EXPECT_DOUBLE_EQ(fleet[0].registrations, 45545);
    EXPECT_DOUBLE_EQ(fleet[0].vehicle.capacity_kwh, 57.5);
    EXPECT_FALSE(fleet[0].vehicle.v2g_allowed);
    for (const auto& m : fleet) {
        const bool dc_v2g = m.vehicle.model == "Volkswagen ID.4" || m.vehicle.model == "Nissan Leaf";
        EXPECT_EQ(m.vehicle.v2g_allowed, dc_v2g) << m.vehicle.model;
        if (m.vehicle.model == "Nissan Leaf") {
            EXPECT_DOUBLE_EQ(m.vehicle.max_discharge_kw, 7.0);
            EXPECT_DOUBLE_EQ(m.vehicle.max_ac_kw, 3.6);
        }
    }
    const auto v2g = load_ev_models(arrivals_dir() / "elaadnl_ev_specs_v2g_enabled2024.json");
    ASSERT_EQ(v2g.size(), 8u);
    for (const auto& m : v2g) {
        EXPECT_TRUE(m.vehicle.v2g_allowed) << m.vehicle.model;
        EXPECT_DOUBLE_EQ(m.vehicle.max_discharge_kw, m.vehicle.model == "Peugeot 208" ? 7.4 : 11.0);
        EXPECT_DOUBLE_EQ(m.vehicle.charge_efficiency, m.vehicle.model == "Hyundai Kona" ? 0.93 : 0.90);
    }
    // Draw shares follow registrations.
    Rng rng(5);
    std::map<std::string, int> count;
    const int n = 100000;
    for (int i = 0; i < n; ++i) ++count[draw_ev_model(fleet, rng).vehicle.model];
    double total = 0.0;
    for (const auto& m : fleet) total += m.registrations;
    for (const auto& m : fleet) {
        const double p = m.registrations / total;
        EXPECT_NEAR(count[m.vehicle.model] / double(n), p, 4.0 * std::sqrt(p * (1 - p) / n))
            << m.vehicle.model;
    }
}

TEST(EvModels, BadSpecsNameTheJsonPath) {
    const auto dir = test::temp_dir("evspecs-bad");
    write_file(
        dir / "a.json",
        R"({"X": {"number_of_registrations": 1, "battery_capacity": "big", "max_ac_charge_power": 11}})");
    auto msg = error_of<DataError>([&] { load_ev_models(dir / "a.json"); });
    EXPECT_NE(msg.find("a.json: $[\"X\"].battery_capacity: expected a non-negative number"),
              std::string::npos)
        << msg;
    write_file(dir / "b.json", R"({"X": {"battery_capacity": 50, "max_ac_charge_power": 11}})");
    msg = error_of<DataError>([&] { load_ev_models(dir / "b.json"); });
    EXPECT_NE(msg.find("missing field 'number_of_registrations'"), std::string::npos) << msg;
    write_file(dir / "c.json", "{");
    EXPECT_THROW(load_ev_models(dir / "c.json"), DataError);
}

ElaadnlParams params_for(const std::filesystem::path& dir) {
    ElaadnlParams p;
    p.data_dir = dir;
    p.site_type = "workplace";
    p.arrivals_per_weekday = 20.0;
    p.arrivals_per_weekend_day = 5.0;
    p.timezone = "Europe/Amsterdam";
    p.declared_departure_noise_h = 0.5;
    return p;
}

TEST(Elaadnl, SessionsArePhysicalSortedAndDeterministic) {
    auto p = params_for(arrivals_dir());
    const Time start = test::utc("2024-03-01T00:00:00Z"), end = test::utc("2024-05-01T00:00:00Z");
    Rng rng1 = Rng::stream(11, "arrivals");
    const auto s = generate_elaadnl_sessions(p, start, end, rng1);
    ASSERT_GT(s.size(), 500u);
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto& x = s[i];
        EXPECT_EQ(x.id, i);
        if (i > 0) {
            EXPECT_LE(s[i - 1].arrival, x.arrival);
        }
        EXPECT_GE(x.arrival, start);
        EXPECT_LT(x.arrival, end);
        EXPECT_GE(x.departure - x.arrival, Duration::minutes(5));
        EXPECT_GE(x.declared_departure - x.arrival, Duration::minutes(5));
        EXPECT_GE(x.requested_kwh, 0.0);
        EXPECT_GE(x.initial_soc, p.min_initial_soc);
        // The battery can take what is asked: initial + requested * efficiency <= capacity.
        EXPECT_LE(x.initial_soc * x.vehicle.capacity_kwh + x.requested_kwh * x.vehicle.charge_efficiency,
                  x.vehicle.capacity_kwh * (1 + 1e-12));
        EXPECT_LT(x.target_soc, 0.0);
        // A request the vehicle's on-board charger can meet in the stay (the default).
        EXPECT_LE(x.requested_kwh, x.vehicle.max_ac_kw * (x.departure - x.arrival).hours_f() * (1 + 1e-12));
    }
    Rng again = Rng::stream(11, "arrivals");
    const auto s2 = generate_elaadnl_sessions(p, start, end, again);
    ASSERT_EQ(s2.size(), s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        EXPECT_EQ(s2[i].arrival, s[i].arrival);
        EXPECT_EQ(s2[i].declared_departure, s[i].declared_departure);
        EXPECT_EQ(s2[i].requested_kwh, s[i].requested_kwh);
        EXPECT_EQ(s2[i].initial_soc, s[i].initial_soc);
        EXPECT_EQ(s2[i].vehicle.model, s[i].vehicle.model);
    }
    Rng other = Rng::stream(12, "arrivals");
    const auto s3 = generate_elaadnl_sessions(p, start, end, other);
    bool differs = s3.size() != s.size();
    for (std::size_t i = 0; !differs && i < s.size(); ++i) differs = s3[i].arrival != s[i].arrival;
    EXPECT_TRUE(differs);

    p.v2g_fleet = true;
    Rng rng4 = Rng::stream(11, "arrivals");
    for (const auto& x : generate_elaadnl_sessions(p, start, end, rng4)) {
        EXPECT_TRUE(x.vehicle.v2g_allowed);
        EXPECT_GT(x.vehicle.max_discharge_kw, 0.0);
    }
    p.min_initial_soc = 1.0;
    Rng rng5(1);
    EXPECT_THROW(generate_elaadnl_sessions(p, start, end, rng5), DataError);
}

TEST(Elaadnl, RatesThatWouldDrawMoreSessionsThanARunHoldsAreRefused) {
    auto p = params_for(arrivals_dir());
    const Time start = test::utc("2023-01-01T00:00:00Z"), end = test::utc("2024-01-01T00:00:00Z");
    p.arrivals_per_weekday = 20'000;
    Rng rng(1);
    const std::string e = error_of<DataError>([&] { generate_elaadnl_sessions(p, start, end, rng); });
    EXPECT_NE(e.find("366 days at 14287.1 arrivals a day would draw about 5229094 sessions; a run holds at "
                     "most 5000000"),
              std::string::npos)
        << e;
    p.arrivals_per_weekday = 20;
    EXPECT_GT(generate_elaadnl_sessions(p, start, end, rng).size(), 5'000u);
    // A lower budget (ScenarioLoadOptions::most_sessions: the fuzzer's) refuses the same rates.
    p.most_sessions = 1e3;
    const std::string lower = error_of<DataError>([&] { generate_elaadnl_sessions(p, start, end, rng); });
    EXPECT_NE(lower.find("would draw about 5751 sessions; a run holds at most 1000 ("), std::string::npos)
        << lower;
}

// A copy of the ElaadNL folder (links to the tables) with one huge-battery model, so no request is
// capped by the battery and the energy means are the tables' own (with feasible_requests off).
std::filesystem::path uncapped_dir() {
    const auto dir = test::temp_dir("elaadnl-uncapped");
    for (const auto& e : std::filesystem::directory_iterator(arrivals_dir())) {
        if (e.path().extension() == ".csv")
            std::filesystem::create_symlink(e.path(), dir / e.path().filename());
    }
    write_file(
        dir / "elaadnl_ev_specs.json",
        R"({"Big": {"number_of_registrations": 1, "battery_capacity": 10000, "max_ac_charge_power": 11}})");
    return dir;
}

struct Moments {
    double n = 0, sum = 0, sum2 = 0;
    void add(double x) {
        n += 1;
        sum += x;
        sum2 += x * x;
    }
    double mean() const { return sum / n; }
    double standard_error() const { return std::sqrt((sum2 / n - mean() * mean()) / n); }
};

// Fidelity over 2000 days (fixed seed). Tolerances are 4 standard errors of the estimate, from the
// binomial sd sqrt(p(1-p)/N) for slot shares and from the sample sd for means: a correct generator
// passes each check with probability 0.99994. Slots with fewer than 400 arrivals are skipped for the
// means, where a standard error is itself unreliable. Stays get 5 minutes more, the minimum stay.
TEST(Elaadnl, ReproducesTheSourceTables) {
    const auto dir = uncapped_dir();
    auto p = params_for(dir);
    p.feasible_requests = false;  // the tables' own energies, not capped by the stay
    const auto tables = load_elaadnl_tables(dir, p.site_type);
    const TimeZone zone(p.timezone);
    const Time start = test::utc("2020-01-01T00:00:00Z") - Duration::hours(1);  // local midnight in Amsterdam
    const Time end = start + Duration::days(2000);
    Rng rng = Rng::stream(2024, "arrivals");
    const auto sessions = generate_elaadnl_sessions(p, start, end, rng);

    std::vector<double> weekday_count(96, 0.0);
    double weekday_total = 0, weekend_total = 0;
    std::vector<Moments> energy(48), stay(48);
    for (const auto& s : sessions) {
        const LocalDateTime l = zone.to_local(s.arrival);
        const int minute = l.hour * 60 + l.minute;
        if (l.weekday == 0 || l.weekday == 6) {
            weekend_total += 1;
            continue;
        }
        weekday_total += 1;
        weekday_count[minute / 15] += 1;
        energy[minute / 30].add(s.requested_kwh);
        stay[minute / 30].add((s.departure - s.arrival).hours_f());
    }
    const double weekdays = 2000.0 * 5 / 7, weekend_days = 2000.0 * 2 / 7;  // +-1 day
    EXPECT_NEAR(weekday_total / weekdays, 20.0, 4 * std::sqrt(20.0 / weekdays) + 20.0 / weekdays);
    EXPECT_NEAR(weekend_total / weekend_days, 5.0, 4 * std::sqrt(5.0 / weekend_days) + 5.0 / weekend_days);
    for (int i = 0; i < 96; ++i) {
        const double share = tables.arrival_weekday.values[i];
        EXPECT_NEAR(weekday_count[i] / weekday_total, share,
                    4 * std::sqrt(share * (1 - share) / weekday_total) + 1e-9)
            << "slot " << i;
    }
    int checked = 0;
    for (int i = 0; i < 48; ++i) {
        if (energy[i].n < 400) continue;
        ++checked;
        EXPECT_NEAR(energy[i].mean(), tables.mean_energy_kwh.values[i], 4 * energy[i].standard_error())
            << "slot " << i;
        EXPECT_NEAR(stay[i].mean(), tables.mean_stay_h.values[i] + 5.0 / 60 / 2,
                    4 * stay[i].standard_error() + 5.0 / 60 / 2)
            << "slot " << i;
    }
    EXPECT_GE(checked, 15);
    RecordProperty("sessions", static_cast<int>(sessions.size()));
    RecordProperty("slots_checked", checked);
}

}  // namespace
}  // namespace evtwin
