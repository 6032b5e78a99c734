#include <evtwin/errors.hpp>
#include <evtwin/util/args.hpp>
#include "cli/commands.hpp"
#include "cli/ocpp_replay_command.hpp"
#include "cli/run_one.hpp"
#include "ocpp/import.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace evtwin::cli {

namespace {

constexpr const char* kOcppHelp =
    R"(usage: evtwin ocpp import LOG [--format F] [--db FILE] [--cs ID] [--timezone ZONE] [--year Y]
                          [--problems N] [--schemas DIR | --no-validate] [--voltage V]
       evtwin ocpp validate LOG --scenario SITE.lua [--max-energy-error-pct X] [--max-power-mae-kw Y]
                          [--max-timing-error-s Z] [--db FILE] [--voltage V]
       evtwin ocpp whatif LOG --scenario SITE.lua --strategy NAME [--opt k=v ...] [--db FILE]

Reads an OCPP-J 1.6 or 2.0.1 log (plain or gzip-compressed), matches responses to their calls,
rebuilds transactions, meter values (normalised to kWh, kW, ...), status changes and faults, and
prints a summary. Bad lines are reported with their line number; the import goes on.

  --format F     jsonl | csv | compliance | everest | steve | lines (default: detected from the first lines)
  --db FILE      write frames, problems and the rebuilt history to this results database (ocpp_* tables)
  --cs ID        the charge point id where the log names none (default CS)
  --timezone ZONE  the zone (IANA, e.g. Europe/Amsterdam) of the times the log writes without an
                 offset, syslog's too (default UTC); times the messages carry are UTC as OCPP has them
  --year Y       the year of a line log's first syslog time ("Nov 24 09:12:00" states none; default:
                 the year the first date its messages state puts it in)
  --problems N   list the first N problems and the first N frames invalid against their schema (default 10)
  --schemas DIR  the OCPP JSON schemas (DIR/v16, DIR/v201; default: $EVTWIN_DATA/ocpp/schemas, else
                 ../shared/data/ocpp/schemas)
  --no-validate  do not check frames against the JSON schemas

  --voltage V    converts charging-profile limits in A to kW (V per phase, default 230)

validate: replays the log's transactions on the scenario's chargers (named as the charge points),
power limited by the composed charging profiles, and compares each session with the log: energy
error, power MAE/RMSE (power samples; average power between energy-register readings), start/stop
of charging, status transitions. Writes the import, the twin's run and the table (ocpp_validation*).
  --max-energy-error-pct X   fail a session whose |energy error| exceeds X %
  --max-power-mae-kw Y       fail a session whose power MAE exceeds Y kW
  --max-timing-error-s Z     fail a session whose start or stop of charging is off by more than Z s
whatif: the same demand under strategy NAME (no logged limits); cost on the scenario's tariff and
peak import for the log's own power trace and the strategy's run (ocpp_whatif).
  --scenario, -D k=v, --data-dir DIR: as for evtwin run; --format, --cs, --timezone, --year,
  --voltage: as for import. --db default: LOG's name with .db.

Formats and tables: docs/ocpp.md. Exit codes: 0 imported / every session within the thresholds,
1 a session outside a threshold (validate) or a database failure, 2 usage, 3 unreadable or
unrecognised log, bad scenario, or a charge point the scenario lacks, 4 refused strategy.
)";

void print_schema_report(const std::filesystem::path& file, const ocpp::SchemaReport& r, std::size_t show) {
    if (r.dir.empty()) {
        for (const auto& note : r.notes) std::printf("schema validation: %s\n", note.c_str());
        return;
    }
    std::printf("schema validation against %s: %zu frames checked, %zu invalid, %zu without a schema\n",
                r.dir.string().c_str(), r.checked, r.invalid, r.unchecked);
    std::printf("  %-36s %8s %8s %9s  first invalid\n", "message", "checked", "invalid", "no schema");
    for (const auto& s : r.by_type) {
        const std::string name = s.action + (s.type == ocpp::MessageType::call ? "" : " (result)");
        std::printf("  %-36s %8zu %8zu %9zu", name.c_str(), s.checked, s.invalid, s.unchecked);
        if (s.first_line)
            std::printf("  line %zu %s: %s", s.first_line, s.first_path.c_str(), s.first_message.c_str());
        std::printf("\n");
    }
    for (std::size_t i = 0; i < r.violations.size() && i < show; ++i) {
        const auto& v = r.violations[i];
        std::printf("  %s:%zu: invalid %s%s at %s: %s\n", file.string().c_str(), v.line, v.action.c_str(),
                    v.type == ocpp::MessageType::call ? "" : " result", v.path.c_str(), v.message.c_str());
    }
    for (const auto& note : r.notes) std::printf("  note: %s\n", note.c_str());
}

}  // namespace

ocpp::ReadOptions read_options(const Args& args) {
    ocpp::ReadOptions options;
    if (const auto f = args.value("--format")) {
        try {
            options.format = ocpp::format_from_string(*f);
        } catch (const DataError& e) {
            throw UsageError(e.what());
        }
    }
    if (const auto cs = args.value("--cs")) options.default_cs = *cs;
    if (const auto zone = args.value("--timezone")) {
        try {
            options.timezone = TimeZone(*zone);
        } catch (const std::invalid_argument& e) {
            throw UsageError(std::string("--timezone: ") + e.what());
        }
    }
    if (args.value("--year"))
        options.year = static_cast<int>(whole_number_option(args, "--year", 0, 1970, 9999));
    if (const auto v = args.value("--voltage")) {
        char* end = nullptr;
        options.voltage_v = std::strtod(v->c_str(), &end);
        if (v->empty() || *end != '\0' || !(options.voltage_v > 0) || !std::isfinite(options.voltage_v))
            throw UsageError("--voltage expects a voltage > 0, got '" + *v + "'");
    }
    return options;
}

namespace {

int import_command(const Args& args) {
    if (args.positionals.size() != 2) throw UsageError("expects one LOG file");
    const ocpp::ReadOptions options = read_options(args);
    const std::size_t show = whole_number_option(args, "--problems", 10, 0, 1'000'000);
    ocpp::SchemaOptions schemas;
    schemas.validate = !args.flag("--no-validate");
    if (const auto dir = args.value("--schemas")) {
        if (!schemas.validate) throw UsageError("--schemas and --no-validate exclude each other");
        if (!std::filesystem::is_directory(*dir))
            throw UsageError("--schemas: no such folder '" + *dir + "'");
        schemas.dir = *dir;
    }
    const std::filesystem::path file = args.positionals[1];
    const auto t0 = std::chrono::steady_clock::now();
    ocpp::Import im;
    try {
        im = ocpp::import_log(file, options);
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin ocpp import: ") + e.what());
    }
    const auto t1 = std::chrono::steady_clock::now();
    if (schemas.validate) ocpp::check_schemas(im, schemas.dir);
    const auto t1v = std::chrono::steady_clock::now();
    std::int64_t import_id = 0;
    if (const auto db_file = args.value("--db")) {
        sqlite::Db db(*db_file, sqlite::Db::Mode::read_write_create);
        import_id = ocpp::store(db, im);
    }
    const auto t2 = std::chrono::steady_clock::now();

    const auto& frames = im.log.frames;
    std::printf("%s: %s log, OCPP %s, %zu frames\n", file.string().c_str(),
                std::string(ocpp::to_string(im.log.format)).c_str(),
                im.log.ocpp_version.empty() ? "?" : im.log.ocpp_version.c_str(), frames.size());
    std::map<std::string, std::size_t> calls;
    std::size_t results = 0, errors = 0;
    for (const ocpp::Frame& f : frames) {
        if (f.type == ocpp::MessageType::call)
            ++calls[f.action];
        else if (f.type == ocpp::MessageType::call_result)
            ++results;
        else
            ++errors;
    }
    std::printf("calls by action:\n");
    for (const auto& [action, n] : calls) std::printf("  %-28s %zu\n", action.c_str(), n);
    std::printf("responses: %zu CALLRESULT, %zu CALLERROR, %zu matched to their CALL\n", results, errors,
                im.site.matched_responses);
    double energy = 0;
    std::size_t open = 0;
    for (const auto& t : im.site.transactions) {
        energy += t.energy_kwh.value_or(0.0);
        open += !t.stop_ms;
    }
    std::printf("transactions: %zu (%zu without stop), energy %.3f kWh\n", im.site.transactions.size(), open,
                energy);
    std::printf("meter values: %zu, status changes: %zu, faults: %zu\n", im.site.meter_values.size(),
                im.site.status_changes.size(), im.site.faults);
    std::size_t accepted = 0;
    for (const auto& p : im.site.charging_profiles) accepted += p.accepted;
    std::printf("charging profiles: %zu (%zu accepted), effective limit segments: %zu\n",
                im.site.charging_profiles.size(), accepted, im.limits.size());
    std::map<std::string, std::size_t> kinds;
    for (const auto& p : im.log.problems) ++kinds[p.kind];
    std::printf("problems: %zu\n", im.log.problems.size());
    for (const auto& [kind, n] : kinds) std::printf("  %-28s %zu\n", kind.c_str(), n);
    for (std::size_t i = 0; i < im.log.problems.size() && i < show; ++i) {
        const auto& p = im.log.problems[i];
        std::printf("  %s:%zu: %s: %s\n", file.string().c_str(), p.line, p.kind.c_str(), p.message.c_str());
    }
    if (im.schema) print_schema_report(file, *im.schema, show);
    const auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    std::printf("read and rebuilt in %.1f ms", ms(t0, t1));
    if (schemas.validate) std::printf(", validated in %.1f ms", ms(t1, t1v));
    if (args.value("--db"))
        std::printf(", stored as import %lld in %s in %.1f ms", static_cast<long long>(import_id),
                    args.value("--db")->c_str(), ms(t1v, t2));
    std::printf("\n");
    return kOk;
}

}  // namespace

int ocpp_command(const std::vector<std::string>& argv) {
    const Args args =
        parse_args(argv, ArgSpec{{"--format", "--db", "--cs", "--timezone", "--year", "--problems",
                                  "--schemas", "--voltage", "--scenario", "--max-energy-error-pct",
                                  "--max-power-mae-kw", "--max-timing-error-s", "--strategy", "--data-dir"},
                                 {"--help", "-h", "--no-validate"},
                                 {"--opt", "-D"}});
    if (args.flag("--help") || args.flag("-h") || args.positionals.empty()) {
        std::fputs(kOcppHelp,
                   args.positionals.empty() && !args.flag("--help") && !args.flag("-h") ? stderr : stdout);
        return args.flag("--help") || args.flag("-h") ? kOk : kUsage;
    }
    if (args.positionals[0] == "import") return import_command(args);
    if (args.positionals[0] == "validate") return ocpp_validate(args);
    if (args.positionals[0] == "whatif") return ocpp_whatif(args);
    throw UsageError("unknown ocpp subcommand '" + args.positionals[0] +
                     "' (expected import, validate or whatif)");
}

}  // namespace evtwin::cli
