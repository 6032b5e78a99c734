// libFuzzer target for the OCPP log readers: the same bytes go to the reader of each of the six
// formats through its text entry point (read_log with the format named), then to detection (with
// and without a time zone and year for the log's own times), and the frames read are rebuilt and
// their charging profiles composed. Any crash, sanitizer report or exception other than the
// documented DataError (unrecognised format, CSV header without its columns, syslog times without
// a year) is a bug. Built with -DEVTWIN_FUZZ=ON and clang (scripts/test runs it for a bounded
// time).
#include <evtwin/errors.hpp>
#include "ocpp/log_reader.hpp"
#include "ocpp/reconstruct.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void read_and_rebuild(std::string_view text, std::optional<evtwin::ocpp::Format> format,
                      bool in_a_zone = false) {
    evtwin::ocpp::ReadOptions options;
    options.format = format;
    if (in_a_zone) {  // times without an offset in a zone with DST; syslog times in a given year
        static const evtwin::TimeZone zone("America/Los_Angeles");
        options.timezone = zone;
        options.year = 2026;
    }
    try {
        evtwin::ocpp::LogRead log = evtwin::ocpp::read_log("fuzz.log", text, options);
        const evtwin::ocpp::Reconstruction site = evtwin::ocpp::reconstruct(log.frames, log.problems);
        if (!log.frames.empty()) {  // the charging profiles composed over (at most) a week of the log
            const std::int64_t from = log.frames.front().ts_ms;
            evtwin::ocpp::compose_limits(site.charging_profiles, site.transactions, from,
                                         from + 7 * 86'400'000LL);
        }
    } catch (const evtwin::DataError&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    using evtwin::ocpp::Format;
    for (Format f :
         {Format::jsonl, Format::csv, Format::compliance, Format::everest, Format::steve, Format::lines})
        read_and_rebuild(text, f);
    read_and_rebuild(text, std::nullopt);
    read_and_rebuild(text, std::nullopt, true);
    return 0;
}
