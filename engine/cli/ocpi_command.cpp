// `evtwin ocpi`: a run's charging as OCPI 2.2.1 files, and CDR or session files checked against
// the twin (ocpi_validate_command.cpp).
#include <evtwin/errors.hpp>
#include <evtwin/util/args.hpp>
#include "cli/commands.hpp"
#include "cli/ocpi_validate_command.hpp"
#include "cli/run_one.hpp"
#include "ocpi/export/run_export.hpp"
#include "ocpi/format/read.hpp"
#include "ocpi/format/write.hpp"

#include <chrono>
#include <cstdio>
#include <future>

namespace evtwin::cli {

namespace {

constexpr const char* kOcpiHelp =
    R"(usage: evtwin ocpi export RUN.db --out DIR [--run ID] [--tariff TARIFFS.json [--tariff-id ID]] [--vat PCT]
                          [--country-code CC] [--party-id ID] [--country CCC]
       evtwin ocpi validate FILE --scenario SITE.lua [--strategy NAME] [--max-energy-error-pct X]
                          [--max-timing-error-s Z] [--tariff TARIFFS.json [--tariff-id ID]] [--db FILE]
                          [--opt k=v ...] [-D k=v ...] [--data-dir DIR]

export: a run's charging as OCPI 2.2.1 (docs/ocpi.md) in DIR: locations.json (the site: chargers as
EVSEs, their connectors), tariffs.json, sessions.json (each session that got a connector) and
cdrs.json (each finished one), priced by the run's own energy prices as an OCPI tariff, or by the
tariff given. Any run: simulated, imported from an OCPP log, or recorded live. Prints the CPO's
margin on energy: what the drivers pay against what their chargers' energy cost the site.
  --run ID         the run (default: the latest in RUN.db)
  --tariff FILE    an OCPI tariff file (one tariff, a list, or an OCPI response); --tariff-id picks one
  --vat PCT        the VAT of the converted tariff's prices (default: none given)
  --country-code CC, --party-id ID   the CPO (default ZZ, EVT); --country CCC the site's (default ZZZ)

validate: the sessions of an OCPI CDR or Session file (driver, EVSE, arrival, departure, energy)
run on the scenario's site under a strategy (default uncontrolled), each compared with its record:
energy and charging time; under the CDR's own tariff (or --tariff), the record's periods priced
again (repriced) and the twin's (twin cost). Writes the twin's run to --db (default: FILE's name
with .db).
  --max-energy-error-pct X   fail a session whose |energy error| exceeds X %
  --max-timing-error-s Z     fail a session whose charging time is off by more than Z s

Exit codes: 0 written / every session within the thresholds, 1 a session outside a threshold,
2 usage, 3 an unreadable run, tariff or OCPI file (the message names file, object and field), or a
bad scenario, 4 a refused strategy.
)";

double total_excl(const std::vector<ocpi::Cdr>& cdrs) {
    double sum = 0;
    for (const ocpi::Cdr& c : cdrs) sum += c.total_cost.excl_vat;
    return sum;
}

int export_command(const Args& args) {
    if (args.positionals.size() != 2) throw UsageError("expects one RUN.db");
    const auto out = args.value("--out");
    if (!out) throw UsageError("--out DIR is required");
    ocpi::ExportOptions options;
    if (const auto cc = args.value("--country-code")) options.country_code = *cc;
    if (const auto party = args.value("--party-id")) options.party_id = *party;
    if (const auto country = args.value("--country")) options.country = *country;
    if (options.country_code.size() != 2 || options.party_id.empty() || options.party_id.size() > 3 ||
        options.country.size() != 3) {
        throw UsageError("--country-code takes 2 letters, --party-id 1 to 3, --country 3");
    }
    if (args.value("--vat")) options.vat_percent = args.positive_number("--vat", 0.0);
    if (const auto file = args.value("--tariff")) {
        try {
            const auto tariffs = ocpi::read_tariffs(*file);
            const auto id = args.value("--tariff-id");
            for (const ocpi::Tariff& t : tariffs)
                if (!id || t.id == *id) options.tariff = t;
            if (!options.tariff) throw DataError(*file + ": no tariff with id '" + id.value_or("") + "'");
            if (!id && tariffs.size() > 1)
                throw UsageError(*file + " holds " + std::to_string(tariffs.size()) +
                                 " tariffs: pick one with --tariff-id");
        } catch (const DataError& e) {
            throw CommandFailure(kBadInput, std::string("evtwin ocpi export: ") + e.what());
        }
    } else if (args.value("--tariff-id")) {
        throw UsageError("--tariff-id needs --tariff");
    }
    const auto t0 = std::chrono::steady_clock::now();
    ocpi::RunExport exported;
    RunId run = 0;
    try {
        const RunReader reader(args.positionals[1]);
        run = args.value("--run") ? static_cast<RunId>(whole_number_option(args, "--run", 0, 1, INT64_MAX))
                                  : reader.latest_run();
        exported = ocpi::export_run(reader, run, options);
    } catch (const ResultsError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin ocpi export: ") + e.what());
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin ocpi export: ") + e.what());
    }
    const auto t1 = std::chrono::steady_clock::now();
    const std::filesystem::path dir = *out;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        throw CommandFailure(kFailure,
                             "evtwin ocpi export: cannot make " + dir.string() + ": " + ec.message());
    try {
        ocpi::write_json_file(dir / "locations.json", std::vector<ocpi::Location>{exported.location});
        ocpi::write_json_file(dir / "tariffs.json", std::vector<ocpi::Tariff>{exported.tariff});
        // The two large files at once: each is mostly the JSON library's work, on one core.
        auto sessions = std::async(std::launch::async,
                                   [&] { ocpi::write_json_file(dir / "sessions.json", exported.sessions); });
        ocpi::write_json_file(dir / "cdrs.json", exported.cdrs);
        sessions.get();
    } catch (const DataError& e) {
        throw CommandFailure(kFailure, std::string("evtwin ocpi export: ") + e.what());
    }
    const auto t2 = std::chrono::steady_clock::now();
    const auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    double kwh = 0;
    for (const ocpi::Cdr& c : exported.cdrs) kwh += c.total_energy;
    std::printf(
        "%s run %lld -> %s: 1 location (%zu EVSEs), tariff '%s' (%zu elements), %zu sessions, %zu CDRs\n",
        args.positionals[1].c_str(), static_cast<long long>(run), dir.string().c_str(),
        exported.location.evses.size(), exported.tariff.id.c_str(), exported.tariff.elements.size(),
        exported.sessions.size(), exported.cdrs.size());
    std::printf("CDRs: %.3f kWh, total cost %.2f %s excl. VAT; %zu sessions without a connector left out\n",
                kwh, total_excl(exported.cdrs), exported.tariff.currency.c_str(), exported.without_connector);
    if (exported.tariff.currency == exported.grid_currency)
        std::printf(
            "margin: drivers pay %.2f, their chargers' energy cost the site %.2f, margin %.2f %s (excl. VAT, "
            "before demand charges, PV and storage)\n",
            exported.revenue, exported.energy_cost, exported.revenue - exported.energy_cost,
            exported.tariff.currency.c_str());
    else
        std::printf("margin: drivers pay %.2f %s, their chargers' energy cost the site %.2f %s (excl. VAT)\n",
                    exported.revenue, exported.tariff.currency.c_str(), exported.energy_cost,
                    exported.grid_currency.c_str());
    std::printf("read and priced in %.2f s, written in %.2f s\n", seconds(t0, t1), seconds(t1, t2));
    return kOk;
}

}  // namespace

int ocpi_command(const std::vector<std::string>& argv) {
    const Args args =
        parse_args(argv, ArgSpec{{"--out", "--run", "--tariff", "--tariff-id", "--vat", "--country-code",
                                  "--party-id", "--country", "--scenario", "--strategy",
                                  "--max-energy-error-pct", "--max-timing-error-s", "--db", "--data-dir"},
                                 {"--help", "-h"},
                                 {"--opt", "-D"}});
    if (args.flag("--help") || args.flag("-h") || args.positionals.empty()) {
        std::fputs(kOcpiHelp,
                   args.positionals.empty() && !args.flag("--help") && !args.flag("-h") ? stderr : stdout);
        return args.flag("--help") || args.flag("-h") ? kOk : kUsage;
    }
    if (args.positionals[0] == "export") return export_command(args);
    if (args.positionals[0] == "validate") return ocpi_validate(args);
    throw UsageError("unknown ocpi subcommand '" + args.positionals[0] + "' (expected export or validate)");
}

}  // namespace evtwin::cli
