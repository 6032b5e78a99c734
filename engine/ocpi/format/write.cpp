#include "ocpi/format/write.hpp"

#include "ocpi/format/datetime.hpp"

#include <evtwin/errors.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>

namespace evtwin::ocpi {

namespace {

using Json = nlohmann::ordered_json;

double four_decimals(double x) {
    if (!(std::fabs(x) < 1e15)) return x;  // has no decimals to drop, and x * 1e4 could overflow
    const double r = std::round(x * 1e4) / 1e4;
    return r == 0.0 ? 0.0 : r;  // no "-0.0"
}

void put(Json& j, const char* key, const std::string& text) {
    if (!text.empty()) j[key] = text;
}

// The fields that name an object and its owner, which every module's object starts with.
Json owned(const std::string& country_code, const std::string& party_id, const std::string& id) {
    Json j;
    j["country_code"] = country_code;
    j["party_id"] = party_id;
    j["id"] = id;
    return j;
}

Json price_json(const Price& p) {
    Json j;
    j["excl_vat"] = four_decimals(p.excl_vat);
    if (p.incl_vat) j["incl_vat"] = four_decimals(*p.incl_vat);
    return j;
}

void put(Json& j, const char* key, const std::optional<Price>& p) {
    if (p) j[key] = price_json(*p);
}

Json token_json(const CdrToken& t) {
    Json j;
    j["country_code"] = t.country_code;
    j["party_id"] = t.party_id;
    j["uid"] = t.uid;
    j["type"] = t.type;
    j["contract_id"] = t.contract_id;
    return j;
}

Json periods_json(const std::vector<ChargingPeriod>& periods) {
    Json list = Json::array();
    for (const ChargingPeriod& p : periods) {
        Json j;
        j["start_date_time"] = format_datetime(p.start_date_time);
        Json dims = Json::array();
        for (const CdrDimension& d : p.dimensions)
            dims.push_back(Json{{"type", d.type}, {"volume", four_decimals(d.volume)}});
        j["dimensions"] = std::move(dims);
        put(j, "tariff_id", p.tariff_id);
        list.push_back(std::move(j));
    }
    return list;
}

Json coordinates_json(const GeoLocation& g) {
    return Json{{"latitude", g.latitude}, {"longitude", g.longitude}};
}

// Where a Location or a CDR's location is: its name, address and coordinates.
template <class Place>
void put_place(Json& j, const Place& l) {
    put(j, "name", l.name);
    j["address"] = l.address;
    j["city"] = l.city;
    put(j, "postal_code", l.postal_code);
    put(j, "state", l.state);
    j["country"] = l.country;
    j["coordinates"] = coordinates_json(l.coordinates);
}

std::string time_of_day(int minute) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d:%02d", minute / 60 % 24, minute % 60);
    return text;
}

std::string date_text(int yyyymmdd) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", yyyymmdd / 10000 % 10000, yyyymmdd / 100 % 100,
                  yyyymmdd % 100);
    return text;
}

Json restrictions_json(const TariffRestrictions& r) {
    Json j = Json::object();
    if (r.start_minute) j["start_time"] = time_of_day(*r.start_minute);
    if (r.end_minute) j["end_time"] = time_of_day(*r.end_minute);
    if (r.start_date) j["start_date"] = date_text(*r.start_date);
    if (r.end_date) j["end_date"] = date_text(*r.end_date);
    const auto number = [&](const char* key, const std::optional<double>& x) {
        if (x) j[key] = four_decimals(*x);
    };
    number("min_kwh", r.min_kwh);
    number("max_kwh", r.max_kwh);
    number("min_current", r.min_current);
    number("max_current", r.max_current);
    number("min_power", r.min_power);
    number("max_power", r.max_power);
    if (r.min_duration) j["min_duration"] = *r.min_duration;
    if (r.max_duration) j["max_duration"] = *r.max_duration;
    if (!r.day_of_week.empty()) {
        static constexpr const char* kDays[] = {"SUNDAY",   "MONDAY", "TUESDAY", "WEDNESDAY",
                                                "THURSDAY", "FRIDAY", "SATURDAY"};
        Json days = Json::array();
        for (const int d : r.day_of_week) days.push_back(kDays[d]);
        j["day_of_week"] = std::move(days);
    }
    put(j, "reservation", r.reservation);
    return j;
}

}  // namespace

const char* to_string(TariffDimension d) {
    switch (d) {
        case TariffDimension::energy:
            return "ENERGY";
        case TariffDimension::flat:
            return "FLAT";
        case TariffDimension::parking_time:
            return "PARKING_TIME";
        case TariffDimension::time:
            return "TIME";
    }
    return "ENERGY";
}

std::optional<double> ChargingPeriod::volume(const std::string& type) const {
    for (const CdrDimension& d : dimensions)
        if (d.type == type) return d.volume;
    return std::nullopt;
}

Json to_json(const Tariff& t) {
    Json j = owned(t.country_code, t.party_id, t.id);
    j["currency"] = t.currency;
    put(j, "type", t.type);
    if (!t.tariff_alt_text.empty()) {
        Json texts = Json::array();
        for (const DisplayText& d : t.tariff_alt_text)
            texts.push_back(Json{{"language", d.language}, {"text", d.text}});
        j["tariff_alt_text"] = std::move(texts);
    }
    put(j, "tariff_alt_url", t.tariff_alt_url);
    put(j, "min_price", t.min_price);
    put(j, "max_price", t.max_price);
    Json elements = Json::array();
    for (const TariffElement& e : t.elements) {
        Json element;
        Json components = Json::array();
        for (const PriceComponent& pc : e.price_components) {
            Json c;
            c["type"] = to_string(pc.type);
            c["price"] = four_decimals(pc.price);
            if (pc.vat) c["vat"] = four_decimals(*pc.vat);
            c["step_size"] = pc.step_size;
            components.push_back(std::move(c));
        }
        element["price_components"] = std::move(components);
        if (e.restrictions) element["restrictions"] = restrictions_json(*e.restrictions);
        elements.push_back(std::move(element));
    }
    j["elements"] = std::move(elements);
    if (t.start_date_time) j["start_date_time"] = format_datetime(*t.start_date_time);
    if (t.end_date_time) j["end_date_time"] = format_datetime(*t.end_date_time);
    j["last_updated"] = format_datetime(t.last_updated);
    return j;
}

Json to_json(const Cdr& c) {
    Json j = owned(c.country_code, c.party_id, c.id);
    j["start_date_time"] = format_datetime(c.start_date_time);
    j["end_date_time"] = format_datetime(c.end_date_time);
    put(j, "session_id", c.session_id);
    j["cdr_token"] = token_json(c.cdr_token);
    j["auth_method"] = c.auth_method;
    put(j, "authorization_reference", c.authorization_reference);
    const CdrLocation& l = c.cdr_location;
    Json location;
    location["id"] = l.id;
    put_place(location, l);
    location["evse_uid"] = l.evse_uid;
    location["evse_id"] = l.evse_id;
    location["connector_id"] = l.connector_id;
    location["connector_standard"] = l.connector_standard;
    location["connector_format"] = l.connector_format;
    location["connector_power_type"] = l.connector_power_type;
    j["cdr_location"] = std::move(location);
    put(j, "meter_id", c.meter_id);
    j["currency"] = c.currency;
    if (!c.tariffs.empty()) {
        Json tariffs = Json::array();
        for (const Tariff& t : c.tariffs) tariffs.push_back(to_json(t));
        j["tariffs"] = std::move(tariffs);
    }
    j["charging_periods"] = periods_json(c.charging_periods);
    j["total_cost"] = price_json(c.total_cost);
    put(j, "total_fixed_cost", c.total_fixed_cost);
    j["total_energy"] = four_decimals(c.total_energy);
    put(j, "total_energy_cost", c.total_energy_cost);
    j["total_time"] = four_decimals(c.total_time);
    put(j, "total_time_cost", c.total_time_cost);
    if (c.total_parking_time) j["total_parking_time"] = four_decimals(*c.total_parking_time);
    put(j, "total_parking_cost", c.total_parking_cost);
    put(j, "total_reservation_cost", c.total_reservation_cost);
    put(j, "remark", c.remark);
    j["last_updated"] = format_datetime(c.last_updated);
    return j;
}

Json to_json(const Session& s) {
    Json j = owned(s.country_code, s.party_id, s.id);
    j["start_date_time"] = format_datetime(s.start_date_time);
    if (s.end_date_time) j["end_date_time"] = format_datetime(*s.end_date_time);
    j["kwh"] = four_decimals(s.kwh);
    j["cdr_token"] = token_json(s.cdr_token);
    j["auth_method"] = s.auth_method;
    put(j, "authorization_reference", s.authorization_reference);
    j["location_id"] = s.location_id;
    j["evse_uid"] = s.evse_uid;
    j["connector_id"] = s.connector_id;
    put(j, "meter_id", s.meter_id);
    j["currency"] = s.currency;
    if (!s.charging_periods.empty()) j["charging_periods"] = periods_json(s.charging_periods);
    put(j, "total_cost", s.total_cost);
    j["status"] = s.status;
    j["last_updated"] = format_datetime(s.last_updated);
    return j;
}

Json to_json(const Location& l) {
    Json j = owned(l.country_code, l.party_id, l.id);
    j["publish"] = l.publish;
    put_place(j, l);
    put(j, "parking_type", l.parking_type);
    Json evses = Json::array();
    for (const Evse& e : l.evses) {
        Json evse;
        evse["uid"] = e.uid;
        put(evse, "evse_id", e.evse_id);
        evse["status"] = e.status;
        if (!e.capabilities.empty()) evse["capabilities"] = e.capabilities;
        Json connectors = Json::array();
        for (const Connector& c : e.connectors) {
            Json connector;
            connector["id"] = c.id;
            connector["standard"] = c.standard;
            connector["format"] = c.format;
            connector["power_type"] = c.power_type;
            connector["max_voltage"] = c.max_voltage;
            connector["max_amperage"] = c.max_amperage;
            if (c.max_electric_power) connector["max_electric_power"] = *c.max_electric_power;
            if (!c.tariff_ids.empty()) connector["tariff_ids"] = c.tariff_ids;
            connector["last_updated"] = format_datetime(c.last_updated);
            connectors.push_back(std::move(connector));
        }
        evse["connectors"] = std::move(connectors);
        put(evse, "physical_reference", e.physical_reference);
        evse["last_updated"] = format_datetime(e.last_updated);
        evses.push_back(std::move(evse));
    }
    if (!l.evses.empty()) j["evses"] = std::move(evses);
    j["time_zone"] = l.time_zone;
    j["last_updated"] = format_datetime(l.last_updated);
    return j;
}

template <class Object>
void write_json_file(const std::filesystem::path& file, const std::vector<Object>& objects) {
    std::ofstream out(file, std::ios::binary);
    out << "[";
    for (std::size_t i = 0; i < objects.size(); ++i)
        out << (i ? ",\n" : "\n") << to_json(objects[i]).dump(-1, ' ', false, Json::error_handler_t::replace);
    out << "\n]\n";
    out.close();
    if (!out) throw DataError(file.string() + ": cannot write the file");
}

template void write_json_file<Cdr>(const std::filesystem::path&, const std::vector<Cdr>&);
template void write_json_file<Session>(const std::filesystem::path&, const std::vector<Session>&);
template void write_json_file<Tariff>(const std::filesystem::path&, const std::vector<Tariff>&);
template void write_json_file<Location>(const std::filesystem::path&, const std::vector<Location>&);

}  // namespace evtwin::ocpi
