// libFuzzer target of the OCPI 2.2.1 readers (engine/ocpi/format/): any bytes read as a document of
// CDRs, Sessions, Tariffs and Locations. Properties: a refusal is a DataError naming the document;
// an object read is written and read back to the same JSON; a CDR of at most a week is priced under
// each tariff it holds to finite costs. A crash, a sanitizer report or a hang is a bug. Built with
// -DEVTWIN_FUZZ=ON and clang.
#include "ocpi/format/read.hpp"
#include "ocpi/format/tariff_pricing.hpp"
#include "ocpi/format/write.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

constexpr const char* kSource = "fuzz.json";

[[noreturn]] void bug(const char* what, const std::string& detail) {
    std::fprintf(stderr, "ocpi_document_fuzz: %s: %s\n", what, detail.c_str());
    std::abort();
}

template <class Object, class Parse>
void round_trip(const std::string& text, Parse parse, const std::vector<Object>& read) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Object& o : read) list.push_back(evtwin::ocpi::to_json(o));
    const std::string written = list.dump();
    std::vector<Object> again;
    try {
        again = parse(written, kSource);
    } catch (const evtwin::DataError& e) {
        bug("a written document is refused", std::string(e.what()) + " in " + written + " from " + text);
    }
    nlohmann::ordered_json list_again = nlohmann::ordered_json::array();
    for (const Object& o : again) list_again.push_back(evtwin::ocpi::to_json(o));
    if (list_again.dump() != written)
        bug("written and read back differ", written + " vs " + list_again.dump());
}

template <class Object, class Parse>
std::vector<Object> read_all(const std::string& text, Parse parse) {
    try {
        std::vector<Object> objects = parse(text, kSource);
        round_trip<Object>(text, parse, objects);
        return objects;
    } catch (const evtwin::DataError& e) {
        if (std::string(e.what()).rfind(kSource, 0) != 0)
            bug("an error that does not name the document", e.what());
        return {};
    }
}

void price(const evtwin::ocpi::Cdr& cdr) {
    if (cdr.end_date_time - cdr.start_date_time > evtwin::Duration::days(7)) return;
    static const evtwin::TimeZone utc("UTC");
    for (const evtwin::ocpi::Tariff& t : cdr.tariffs) {
        const auto costs =
            evtwin::ocpi::price_session(t, cdr.charging_periods, cdr.start_date_time, cdr.end_date_time, utc);
        if (!std::isfinite(costs.total.excl_vat) && std::isfinite(costs.energy.excl_vat) &&
            std::isfinite(costs.time.excl_vat) && std::isfinite(costs.parking.excl_vat) &&
            std::isfinite(costs.fixed.excl_vat))
            bug("a total that is not finite from finite parts", cdr.id);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    for (const auto& cdr : read_all<evtwin::ocpi::Cdr>(text, evtwin::ocpi::parse_cdrs)) price(cdr);
    read_all<evtwin::ocpi::Session>(text, evtwin::ocpi::parse_sessions);
    read_all<evtwin::ocpi::Tariff>(text, evtwin::ocpi::parse_tariffs);
    read_all<evtwin::ocpi::Location>(text, evtwin::ocpi::parse_locations);
    return 0;
}
