#include "cli/run_one.hpp"

#include "cli/commands.hpp"
#include "host/observation_log.hpp"
#include "run/run_into.hpp"

#include <evtwin/util/args.hpp>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>

namespace evtwin::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_sigint(int) {
    g_interrupted.store(true);
    std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C ends the process at once
}

}  // namespace

Scenario load_scenario_or_fail(const std::filesystem::path& file, const ScenarioOptions& options) {
    try {
        return Scenario::load(file, options);
    } catch (const ScenarioError& e) {
        throw CommandFailure(kBadInput, e.what());
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, e.what());
    }
}

RunOutcome run_or_fail(const std::string& verb, const Scenario& scenario, const RunOptions& options,
                       SqliteRunWriter* writer, const std::filesystem::path& observation_log) {
    try {
        return run_scenario_into(scenario, options, writer, observation_log);
    } catch (const ScenarioError& e) {
        throw CommandFailure(kBadInput, e.what());
    } catch (const DataError& e) {
        throw CommandFailure(kBadInput, e.what());
    } catch (const PluginError& e) {
        throw CommandFailure(kPluginRefused, "evtwin " + verb + ": " + e.what());
    } catch (const ObservationLogError& e) {
        throw CommandFailure(kFailure, "evtwin " + verb + ": " + e.what());
    }
}

EarlyResults::EarlyResults(const RunOptions& options)
    : file_(options.db),
      made_here_(!std::filesystem::exists(options.db)),
      writer_(std::make_unique<SqliteRunWriter>(options.db, run_writer_options(options))) {}

EarlyResults::~EarlyResults() {
    if (!made_here_) return;
    bool run_began = true;
    try {
        run_began = writer_->run_id() != 0;
    } catch (...) {  // the file could not be set up: nothing in it to keep
        run_began = false;
    }
    writer_.reset();
    if (run_began) return;
    std::error_code ignored;
    std::filesystem::remove(file_, ignored);
}

std::uint64_t parse_seed(const std::string& text, const std::string& option) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long seed = std::strtoull(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0 || text[0] == '-')
        throw UsageError(option + " expects a non-negative integer, got '" + text + "'");
    return seed;
}

std::uint64_t whole_number_option(const Args& args, const std::string& name, std::uint64_t fallback,
                                  std::uint64_t least, std::uint64_t most) {
    const auto text = args.value(name);
    if (!text) return fallback;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < least || value > most)
        throw UsageError(name + " expects a whole number from " + std::to_string(least) + " to " +
                         std::to_string(most) + ", got '" + *text + "'");
    return value;
}

std::string local_minutes(Time t, const TimeZone& zone) {
    const LocalDateTime l = zone.to_local(t);
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d", l.year, l.month, l.day, l.hour, l.minute);
    return text;
}

SigintScope::SigintScope() {
    std::signal(SIGINT, on_sigint);
}
SigintScope::~SigintScope() {
    std::signal(SIGINT, SIG_DFL);
}
bool SigintScope::interrupted() {
    return g_interrupted.load();
}
const std::atomic<bool>* SigintScope::flag() {
    return &g_interrupted;
}

}  // namespace evtwin::cli
