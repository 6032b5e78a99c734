// ACN-Data JSON export (e.g. ../shared/data/sessions/acn_caltech_2020-12_2021-09.json): `_meta` and
// `_items`, one item per session, times as RFC 1123 strings in GMT.
#include "data/arrivals.hpp"
#include "data/json_file.hpp"
#include "model/local_time.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin {
namespace {

using Json = nlohmann::json;

class ItemReader {
public:
    ItemReader(const std::filesystem::path& file, std::size_t index, const Json& item, const TimeZone& utc)
        : file_(file), index_(index), item_(item), utc_(utc) {}

    [[noreturn]] void fail(const std::string& field, const std::string& what) const {
        throw DataError(file_.string() + ": $._items[" + std::to_string(index_) + "]" +
                        (field.empty() ? "" : "." + field) + ": " + what);
    }

    const Json& field(const Json& object, const std::string& path, const char* key) const {
        const auto it = object.find(key);
        if (it == object.end() || it->is_null()) fail(path, "missing (expected a value)");
        return *it;
    }

    Time time(const Json& value, const std::string& path) const {
        if (!value.is_string()) fail(path, "expected a time string, got " + value.dump());
        try {
            return parse_time(value.get<std::string>(), utc_);
        } catch (const std::invalid_argument& e) {
            fail(path,
                 "expected an RFC 1123 time like \"Tue, 01 Dec 2020 13:59:06 GMT\", got " + value.dump());
        }
    }

    double kwh(const Json& value, const std::string& path) const {
        if (!value.is_number() || value.get<double>() < 0.0 || value.get<double>() > kMostAcnSessionKwh) {
            fail(path, "expected a number of kWh from 0 to 1000, got " + value.dump());
        }
        return value.get<double>();
    }

    std::string text(const Json& value, const std::string& path) const {
        if (value.is_string()) return value.get<std::string>();
        if (value.is_number_integer()) return value.dump();
        fail(path, "expected a string, got " + value.dump());
    }

    const Json& item() const { return item_; }

private:
    const std::filesystem::path& file_;
    std::size_t index_;
    const Json& item_;
    const TimeZone& utc_;
};

}  // namespace

std::vector<SessionSpec> load_acn_json(const std::filesystem::path& file, const AcnImportOptions& options) {
    if (!(options.initial_soc >= 0.0 && options.initial_soc < 1.0)) {
        throw DataError(file.string() + ": ACN import option initial_soc must be in [0, 1)");
    }
    if (!(options.default_capacity_kwh > 0.0) || !(options.default_max_kw > 0.0)) {
        throw DataError(file.string() +
                        ": ACN import options default_capacity_kwh and default_max_kw must be > 0");
    }
    const Json root = read_json_file(file);
    if (!root.is_object() || !root.contains("_items") || !root["_items"].is_array()) {
        throw DataError(file.string() + ": $._items: expected an array of sessions (an ACN-Data export)");
    }
    const TimeZone utc("UTC");  // the times carry "GMT"; the zone only serves strings without one
    const Json& items = root["_items"];
    std::vector<SessionSpec> sessions;
    sessions.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        const Json& item = items[i];
        ItemReader r(file, i, item, utc);
        if (!item.is_object()) r.fail("", "expected an object");
        const Time arrival = r.time(r.field(item, "connectionTime", "connectionTime"), "connectionTime");
        const Time departure = r.time(r.field(item, "disconnectTime", "disconnectTime"), "disconnectTime");
        if (departure <= arrival) r.fail("disconnectTime", "expected a time after connectionTime");
        const double delivered = r.kwh(r.field(item, "kWhDelivered", "kWhDelivered"), "kWhDelivered");
        std::string station = r.text(r.field(item, "spaceID", "spaceID"), "spaceID");

        double requested = delivered;
        Time declared = departure;
        if (const auto inputs = item.find("userInputs"); inputs != item.end() && !inputs->is_null()) {
            if (!inputs->is_array()) r.fail("userInputs", "expected null or a list, got " + inputs->dump());
            if (options.use_user_inputs && !inputs->empty()) {
                const std::string path = "userInputs[" + std::to_string(inputs->size() - 1) + "]";
                const Json& last = inputs->back();
                if (!last.is_object()) r.fail(path, "expected an object");
                if (const auto k = last.find("kWhRequested"); k != last.end() && !k->is_null()) {
                    requested = r.kwh(*k, path + ".kWhRequested");
                }
                if (const auto d = last.find("requestedDeparture"); d != last.end() && !d->is_null()) {
                    // A departure declared before the car arrived is read as "leaving at once".
                    declared = std::max(r.time(*d, path + ".requestedDeparture"), arrival);
                }
            }
        }
        if (arrival < options.start || arrival >= options.end) continue;

        SessionSpec session =
            acn_session(std::move(station), arrival, departure, declared, requested, delivered, options);
        // The driver's account: their sessions share one vehicle (null for unregistered drivers).
        if (const auto user = item.find("userID"); user != item.end() && !user->is_null()) {
            if (!user->is_string() && !user->is_number_integer())
                r.fail("userID", "expected null, a string or an integer");
            session.vehicle_id = "acn-user-" + (user->is_string() ? user->get<std::string>() : user->dump());
        }
        sessions.push_back(std::move(session));
    }
    sort_by_arrival_and_number(sessions);
    return sessions;
}

}  // namespace evtwin
