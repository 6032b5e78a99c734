#include "cli/ocpi_validate_command.hpp"

#include <evtwin/errors.hpp>
#include "cli/commands.hpp"
#include "cli/run_one.hpp"
#include "model/bill.hpp"
#include "ocpi/export/run_export.hpp"
#include "ocpi/format/read.hpp"
#include "ocpi/format/recorded_charges.hpp"
#include "ocpi/format/tariff_pricing.hpp"
#include "record/reader/run_reader.hpp"
#include "scenario/scenario_impl.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace evtwin::cli {

namespace {

std::optional<double> threshold(const Args& args, const std::string& name) {
    if (!args.value(name)) return std::nullopt;
    return args.positive_number(name, 0.0);
}

std::string cell(const std::optional<double>& v, const char* form = "%.2f") {
    if (!v) return "-";
    char text[32];
    std::snprintf(text, sizeof text, form, *v);
    return text;
}

void check_chargers(const std::vector<ocpi::RecordedCharge>& charges, const ScenarioSpec& spec,
                    const std::string& where) {
    for (const ocpi::RecordedCharge& c : charges) {
        const bool known = std::any_of(spec.chargers.begin(), spec.chargers.end(),
                                       [&](const ChargerSpec& k) { return k.name == c.session.station; });
        if (known) continue;
        std::string names;
        for (const ChargerSpec& k : spec.chargers) names += (names.empty() ? "" : ", ") + k.name;
        throw DataError(where + ": no charger '" + c.session.station + "' for the EVSE of " + c.name +
                        " (an EVSE is mapped to the charger of its uid; the scenario has: " +
                        (names.empty() ? "none" : names) + ")");
    }
}

double charging_hours(const std::vector<ocpi::ChargingPeriod>& periods) {
    double hours = 0.0;
    for (const ocpi::ChargingPeriod& p : periods) hours += p.volume("TIME").value_or(0.0);
    return hours;
}

}  // namespace

int ocpi_validate(const Args& args) {
    if (args.positionals.size() != 2) throw UsageError("expects one CDR or Session FILE");
    const auto scenario = args.value("--scenario");
    if (!scenario) throw UsageError("--scenario SITE.lua is required");
    const std::optional<double> max_energy_pct = threshold(args, "--max-energy-error-pct");
    const std::optional<double> max_timing_s = threshold(args, "--max-timing-error-s");
    const std::filesystem::path file = args.positionals[1];

    ScenarioOptions load_options;
    load_options.params = args.pairs("-D");
    if (const auto data = args.value("--data-dir")) load_options.data_dir = *data;
    ScenarioSpec spec = load_scenario_or_fail(*scenario, load_options).impl().loaded;
    std::vector<ocpi::RecordedCharge> charges;
    std::optional<ocpi::Tariff> tariff;
    try {
        if (const auto tariff_file = args.value("--tariff")) {
            const auto tariffs = ocpi::read_tariffs(*tariff_file);
            const auto id = args.value("--tariff-id");
            for (const ocpi::Tariff& t : tariffs)
                if (!id || t.id == *id) tariff = t;
            if (!tariff) throw DataError(*tariff_file + ": no tariff with id '" + id.value_or("") + "'");
        }
        charges = ocpi::read_recorded_charges(file, {});
        if (charges.empty()) throw DataError(file.string() + ": no ACTIVE or COMPLETED session to run");
        check_chargers(charges, spec, *scenario);
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin ocpi validate: ") + e.what());
    }
    spec.sessions.clear();
    spec.script.reset();
    spec.pv.clear();
    spec.ess.clear();
    spec.loads.clear();
    Time first = Time::max(), last = Time::min();
    for (const ocpi::RecordedCharge& c : charges) {
        first = std::min(first, c.session.arrival);
        last = std::max(last, c.session.departure);
        spec.sessions.push_back(c.session);
    }
    // Whole minutes around the sessions, so control periods fall on round times.
    spec.start = Time(first.ms() - ((first.ms() % 60'000) + 60'000) % 60'000);
    spec.end = last + Duration::minutes(1);
    if (const std::string gap = missing_prices(*spec.tariff, spec.start, spec.end, "the sessions' period");
        !gap.empty())
        throw CommandFailure(kBadInput, "evtwin ocpi validate: " + *scenario + ": its tariff " + gap);

    RunOptions run;
    run.strategy = args.value("--strategy").value_or("uncontrolled");
    run.options = args.pairs("--opt");
    run.db = args.value("--db").value_or(file.stem().string() + ".db");
    const RunOutcome outcome = run_or_fail("ocpi validate", scenario_of(spec), run);
    const RunReader reader(run.db);
    const ocpi::RunExport twin = ocpi::export_run(reader, outcome.run_id, {});
    std::map<std::string, const ocpi::Session*> twin_by_id;
    for (const ocpi::Session& s : twin.sessions) twin_by_id[s.id] = &s;
    const TimeZone zone(spec.timezone);

    std::printf("%s against %s: %zu sessions run on the twin under %s (run %lld in %s)\n",
                file.string().c_str(), scenario->c_str(), charges.size(), outcome.strategy_name.c_str(),
                static_cast<long long>(outcome.run_id), run.db.string().c_str());
    std::printf("%-20s %-12s %-16s %9s %9s %8s %8s %8s %9s %9s %9s  %s\n", "record", "evse", "driver", "kWh",
                "twin kWh", "energy%", "chg h", "twin h", "cost", "repriced", "twin cost", "result");
    std::size_t failed = 0;
    double recorded_kwh = 0, twin_kwh = 0;
    for (const ocpi::RecordedCharge& c : charges) {
        const auto it = twin_by_id.find(std::to_string(c.session.id));
        const ocpi::Session* t = it == twin_by_id.end() ? nullptr : it->second;
        const double kwh = t ? t->kwh : 0.0;
        const double hours = t ? charging_hours(t->charging_periods) : 0.0;
        std::optional<double> energy_pct;
        if (c.kwh != 0) energy_pct = (kwh - c.kwh) / c.kwh * 100.0;
        std::optional<double> repriced, twin_cost;
        if (const ocpi::Tariff* priced = c.tariff ? &*c.tariff : tariff ? &*tariff : nullptr) {
            const Time end = c.session.departure;
            repriced = ocpi::price_session(*priced, c.periods, c.session.arrival, end, zone).total.excl_vat;
            if (t)
                twin_cost = ocpi::price_session(*priced, t->charging_periods, c.session.arrival, end, zone)
                                .total.excl_vat;
        }
        std::string why;
        if (!t) why += " not-charged";
        if (max_energy_pct && energy_pct && std::fabs(*energy_pct) > *max_energy_pct) why += " energy";
        if (max_timing_s && std::fabs(hours - c.charging_hours) * 3600.0 > *max_timing_s) why += " timing";
        failed += !why.empty();
        recorded_kwh += c.kwh;
        twin_kwh += kwh;
        std::printf(
            "%-20s %-12s %-16s %9.3f %9.3f %8s %8.3f %8.3f %9s %9s %9s  %s\n", c.name.substr(0, 20).c_str(),
            c.session.station.substr(0, 12).c_str(), c.session.vehicle_id.substr(5, 16).c_str(), c.kwh, kwh,
            cell(energy_pct).c_str(), c.charging_hours, hours,
            cell(c.total_cost ? std::optional(c.total_cost->excl_vat) : std::nullopt).c_str(),
            cell(repriced).c_str(), cell(twin_cost).c_str(), why.empty() ? "ok" : ("FAIL" + why).c_str());
    }
    std::printf("energy: recorded %.3f kWh, twin %.3f kWh; %zu of %zu sessions outside the thresholds\n",
                recorded_kwh, twin_kwh, failed, charges.size());
    return failed ? kFailure : kOk;
}

}  // namespace evtwin::cli
