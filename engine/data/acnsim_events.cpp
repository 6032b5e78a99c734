// acnportal's serialised EventQueue, e.g.
// ../shared/data/sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz: a JSON string holding
// {"id": root, "context_dict": {id: {"class": ..., "attributes": {...}}}}, objects referring to each
// other by id. The root EventQueue lists [timestamp, event id] pairs; a PluginEvent names its EV
// (_arrival, _departure, _estimated_departure in periods, _requested_energy kWh, _station_id,
// _battery) and the EV its Battery (_capacity, _init_charge kWh, _max_power kW). Other events
// (UnplugEvent, RecomputeEvent) add nothing: the EV carries the departure.
#include "data/acnsim_document.hpp"
#include "data/arrivals.hpp"
#include "data/gzip_file.hpp"
#include "data/number_range.hpp"
#include "model/local_time.hpp"

#include <array>
#include <cmath>
#include <stdexcept>

namespace evtwin {
namespace {

using Json = nlohmann::json;

// Where in the document a value is: "$.id", or "$._queue[i]" followed by a few name parts (each
// with its own separator). Spelled out only for an error, not for every value read.
class Path {
public:
    static Path root_id() { return Path(); }
    static Path queue_entry(std::size_t i) { return Path(i); }

    Path operator/(const char* part) const {
        Path p = *this;
        p.parts_.at(p.count_++) = part;
        return p;
    }

    std::string str() const {
        std::string s = queued_ ? "$._queue[" + std::to_string(index_) + "]" : "$.id";
        for (std::size_t k = 0; k < count_; ++k) s += parts_[k];
        return s;
    }

private:
    Path() = default;
    explicit Path(std::size_t i) : queued_(true), index_(i) {}

    bool queued_ = false;
    std::size_t index_ = 0;
    std::array<const char*, 6> parts_{};
    std::size_t count_ = 0;
};

class Reader {
public:
    Reader(const std::filesystem::path& file, const AcnSimDocument& doc) : file_(file), doc_(doc) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw DataError(file_.string() + ": " + path + ": " + what);
    }
    [[noreturn]] void fail(const Path& path, const std::string& what) const { fail(path.str(), what); }

    // The object with id `id` (a string or a number), checked to be of a class ending in `suffix`.
    const AcnSimObject& object(const Json& id, const Path& path, std::string_view suffix) const {
        std::string number;
        if (id.is_number_integer()) {
            number = id.dump();
        } else if (!id.is_string()) {
            fail(path, "expected an object id, got " + id.dump());
        }
        const std::string& key = id.is_string() ? id.get_ref<const std::string&>() : number;
        const auto it = doc_.context.find(key);
        if (it == doc_.context.end()) fail(path, "no object with id " + key + " in $.context_dict");
        const AcnSimObject& o = it->second;
        const auto where = [&] { return "$.context_dict[\"" + key + "\"]"; };
        if (!o.well_formed) fail(where(), "expected {\"class\": ..., \"attributes\": {...}}");
        if (!o.cls.ends_with(suffix))
            fail(where(), "expected a " + std::string(suffix) + " (referred to by " + path.str() +
                              "), got class " + o.cls);
        return o;
    }

    const Json& field(const AcnSimObject& o, const Path& path, const char* key) const {
        const Json* v = o.find(key);
        if (!v || v->is_null()) fail(path / "." / key, "missing (expected a value)");
        return *v;
    }

    std::int64_t period_index(const AcnSimObject& o, const Path& path, const char* key) const {
        const Json& v = field(o, path, key);
        if (v.is_number_integer() && v.get<std::int64_t>() >= 0 &&
            v.get<std::int64_t>() < (std::int64_t{1} << 40)) {
            return v.get<std::int64_t>();
        }
        fail(path / "." / key, "expected a period index (an integer >= 0), got " + v.dump());
    }

    double number(const AcnSimObject& o, const Path& path, const char* key) const {
        const Json& v = field(o, path, key);
        if (!v.is_number() || !in_number_range(v.get<double>()) || v.get<double>() < 0.0) {
            fail(path / "." / key, "expected a number from 0 to 1e15, got " + v.dump());
        }
        return v.get<double>();
    }

private:
    const std::filesystem::path& file_;
    const AcnSimDocument& doc_;
};

}  // namespace

std::vector<SessionSpec> load_acnsim_events(const std::filesystem::path& file, const AcnSimOptions& options) {
    if (options.period.ms() <= 0)
        throw DataError(file.string() + ": ACN-Sim option period must be longer than zero");
    if (!(options.default_max_kw > 0.0))
        throw DataError(file.string() + ": ACN-Sim option max_kw must be > 0");
    Time origin;
    try {
        origin = parse_time(options.start_local, TimeZone(options.timezone));
    } catch (const std::invalid_argument& e) {
        throw DataError(file.string() + ": ACN-Sim option start/timezone: " + e.what());
    }

    const AcnSimDocument doc = read_acnsim_document(read_maybe_gzip_file(file), file);
    if (doc.id.is_null() || !doc.has_context) {
        throw DataError(file.string() +
                        ": $: expected acnportal's serialised object {\"id\": ..., \"context_dict\": {...}}");
    }
    const Reader r(file, doc);
    const Json* queue_attribute = r.object(doc.id, Path::root_id(), "EventQueue").find("_queue");
    if (!queue_attribute || !queue_attribute->is_array()) {
        r.fail("$.context_dict[root]._queue", "expected a list of [timestamp, event id] pairs");
    }
    const Json& queue = *queue_attribute;

    const auto at = [&](std::int64_t index) { return origin + Duration(options.period.ms() * index); };
    std::vector<SessionSpec> sessions;
    sessions.reserve(queue.size());
    for (std::size_t i = 0; i < queue.size(); ++i) {
        const Path qpath = Path::queue_entry(i);
        const Json& entry = queue[i];
        if (!entry.is_array() || entry.size() != 2)
            r.fail(qpath, "expected [timestamp, event id], got " + entry.dump());
        const AcnSimObject& event = r.object(entry[1], qpath / "[1]", "Event");
        if (!event.cls.ends_with("PluginEvent")) continue;

        const Path epath = qpath / " (PluginEvent)";
        const Path vpath = epath / ".ev";
        const AcnSimObject& ev = r.object(r.field(event, epath, "ev"), vpath, "EV");
        const std::int64_t arrival = r.period_index(ev, vpath, "_arrival");
        const std::int64_t departure = r.period_index(ev, vpath, "_departure");
        if (departure <= arrival) r.fail(vpath / "._departure", "expected a period after _arrival");
        if (const Json* ts = event.find("timestamp"); ts && !(ts->is_number_integer() && *ts == arrival)) {
            r.fail(epath / ".timestamp",
                   "expected the EV's _arrival (" + std::to_string(arrival) + "), got " + ts->dump());
        }
        std::int64_t estimated = departure;
        if (const Json* e = ev.find("_estimated_departure"); e && !e->is_null()) {
            estimated = std::max(r.period_index(ev, vpath, "_estimated_departure"), arrival);
        }
        double requested = r.number(ev, vpath, "_requested_energy");
        const Json& station = r.field(ev, vpath, "_station_id");
        if (!station.is_string()) r.fail(vpath / "._station_id", "expected a string, got " + station.dump());

        const Path bpath = vpath / "._battery";
        const AcnSimObject& battery = r.object(r.field(ev, vpath, "_battery"), bpath, "Battery");
        const double capacity = r.number(battery, bpath, "_capacity");
        if (!(capacity > 0.0)) r.fail(bpath / "._capacity", "expected a capacity > 0 kWh");
        const double initial = r.number(battery, bpath, "_init_charge");
        if (initial > capacity * (1.0 + 1e-9)) {
            r.fail(bpath / "._init_charge",
                   "expected at most the capacity (" + std::to_string(capacity) + " kWh)");
        }
        double max_kw = options.default_max_kw;
        if (const Json* p = battery.find("_max_power"); p && !p->is_null()) {
            max_kw = r.number(battery, bpath, "_max_power");
        }

        if (options.force_feasible) {
            const double stay_h = options.period.hours_f() * static_cast<double>(departure - arrival);
            requested = std::min(requested, max_kw * stay_h);
        }

        SessionSpec s;
        s.station = station.get<std::string>();
        s.arrival = at(arrival);
        s.departure = at(departure);
        s.declared_departure = at(estimated);
        if (s.arrival < options.start || s.arrival >= options.end) continue;
        s.initial_soc = std::min(initial / capacity, 1.0);
        s.requested_kwh = requested;
        s.vehicle.model = "ACN-Sim EV";
        s.vehicle.capacity_kwh = capacity;
        s.vehicle.max_ac_kw = max_kw;
        // acnportal's Battery is lossless and takes its full rate until full (no taper): a flat curve,
        // given explicitly so that the scenario's default (tapering) curve is not applied.
        s.vehicle.charge_efficiency = 1.0;
        s.vehicle.discharge_efficiency = 1.0;
        s.vehicle.curve = {{0.0, 1.0}, {1.0, 1.0}};
        sessions.push_back(std::move(s));
    }
    sort_by_arrival_and_number(sessions);
    return sessions;
}

}  // namespace evtwin
