// The OCPI objects from their JSON, field by field as the specification's tables give them.
#include "model/local_time.hpp"
#include "ocpi/format/datetime.hpp"
#include "ocpi/format/read.hpp"

#include <cstdio>

namespace evtwin::ocpi {

namespace {

constexpr std::size_t kId = 36;

Price read_price(const ObjectFields& f) {
    Price p;
    p.excl_vat = f.required_number("excl_vat");
    p.incl_vat = f.optional_number("incl_vat");
    return p;
}

std::optional<Price> optional_price(const ObjectFields& f, const char* key) {
    if (!f.has(key)) return std::nullopt;
    return read_price(f.object(key));
}

CdrToken read_token(const ObjectFields& f) {
    CdrToken t;
    t.country_code = f.required_string("country_code", 2);
    t.party_id = f.required_string("party_id", 3);
    t.uid = f.required_string("uid", kId);
    t.type = f.required_enum("type", {"AD_HOC_USER", "APP_USER", "OTHER", "RFID"});
    t.contract_id = f.required_string("contract_id", kId);
    return t;
}

// The fields that name an object and its owner, which every module's object starts with.
template <class Object>
void read_owned(const ObjectFields& f, Object& o, std::size_t id_length = kId) {
    o.country_code = f.required_string("country_code", 2);
    o.party_id = f.required_string("party_id", 3);
    o.id = f.required_string("id", id_length);
}

// A session's end, when given, at or after its start.
std::optional<Time> read_end(const ObjectFields& f, Time start) {
    const std::optional<Time> end = f.optional_datetime("end_date_time");
    if (end && *end < start) f.fail("end_date_time", "expected a time at or after start_date_time");
    return end;
}

const std::initializer_list<const char*> kAuthMethods = {"AUTH_REQUEST", "COMMAND", "WHITELIST"};

std::vector<ChargingPeriod> read_periods(const ObjectFields& f, std::size_t min) {
    std::vector<ChargingPeriod> periods;
    for (const ObjectFields& p : f.objects("charging_periods", min)) {
        ChargingPeriod period;
        period.start_date_time = p.required_datetime("start_date_time");
        for (const ObjectFields& d : p.objects("dimensions", 1)) {
            CdrDimension dim;
            dim.type =
                d.required_enum("type", {"CURRENT", "ENERGY", "ENERGY_EXPORT", "ENERGY_IMPORT", "MAX_CURRENT",
                                         "MIN_CURRENT", "MAX_POWER", "MIN_POWER", "PARKING_TIME", "POWER",
                                         "RESERVATION_TIME", "STATE_OF_CHARGE", "TIME"});
            dim.volume = d.required_number("volume");
            period.dimensions.push_back(dim);
        }
        period.tariff_id = p.optional_string("tariff_id", kId);
        periods.push_back(std::move(period));
    }
    return periods;
}

// Periods in order, within [start, end] (end: when known).
void check_periods(const ObjectFields& f, const std::vector<ChargingPeriod>& periods, Time start,
                   std::optional<Time> end) {
    for (std::size_t i = 0; i < periods.size(); ++i) {
        const Time t = periods[i].start_date_time;
        const std::string key = "charging_periods[" + std::to_string(i) + "]";
        if (t < start) f.fail(key.c_str(), "expected start_date_time at or after the session's start");
        if (end && t > *end) f.fail(key.c_str(), "expected start_date_time at or before the session's end");
        if (i > 0 && t < periods[i - 1].start_date_time)
            f.fail(key.c_str(), "expected start_date_time at or after the previous period's");
    }
}

GeoLocation read_coordinates(const ObjectFields& f) {
    GeoLocation g;
    g.latitude = f.required_string("latitude", 10);
    g.longitude = f.required_string("longitude", 11);
    const auto degrees = [&](const char* key, const std::string& text, double limit) {
        double x = 0;
        int used = 0;
        if (std::sscanf(text.c_str(), "%lf%n", &x, &used) != 1 ||
            static_cast<std::size_t>(used) != text.size() || !(x >= -limit && x <= limit)) {
            f.fail(key, "expected decimal degrees from " + std::to_string(static_cast<int>(-limit)) + " to " +
                            std::to_string(static_cast<int>(limit)) + ", got '" + text + "'");
        }
    };
    degrees("latitude", g.latitude, 90);
    degrees("longitude", g.longitude, 180);
    return g;
}

const std::initializer_list<const char*> kConnectorTypes = {"CHADEMO",
                                                            "CHAOJI",
                                                            "DOMESTIC_A",
                                                            "DOMESTIC_B",
                                                            "DOMESTIC_C",
                                                            "DOMESTIC_D",
                                                            "DOMESTIC_E",
                                                            "DOMESTIC_F",
                                                            "DOMESTIC_G",
                                                            "DOMESTIC_H",
                                                            "DOMESTIC_I",
                                                            "DOMESTIC_J",
                                                            "DOMESTIC_K",
                                                            "DOMESTIC_L",
                                                            "DOMESTIC_M",
                                                            "DOMESTIC_N",
                                                            "DOMESTIC_O",
                                                            "GBT_AC",
                                                            "GBT_DC",
                                                            "IEC_60309_2_single_16",
                                                            "IEC_60309_2_three_16",
                                                            "IEC_60309_2_three_32",
                                                            "IEC_60309_2_three_64",
                                                            "IEC_62196_T1",
                                                            "IEC_62196_T1_COMBO",
                                                            "IEC_62196_T2",
                                                            "IEC_62196_T2_COMBO",
                                                            "IEC_62196_T3A",
                                                            "IEC_62196_T3C",
                                                            "NEMA_5_20",
                                                            "NEMA_6_30",
                                                            "NEMA_6_50",
                                                            "NEMA_10_30",
                                                            "NEMA_10_50",
                                                            "NEMA_14_30",
                                                            "NEMA_14_50",
                                                            "PANTOGRAPH_BOTTOM_UP",
                                                            "PANTOGRAPH_TOP_DOWN",
                                                            "TESLA_R",
                                                            "TESLA_S"};
const std::initializer_list<const char*> kConnectorFormats = {"SOCKET", "CABLE"};
const std::initializer_list<const char*> kPowerTypes = {"AC_1_PHASE", "AC_2_PHASE", "AC_2_PHASE_SPLIT",
                                                        "AC_3_PHASE", "DC"};

// Where a Location or a CDR's location is: its name, address and coordinates.
template <class Place>
void read_place(const ObjectFields& f, Place& l) {
    l.name = f.optional_string("name", 255, Text::string);
    l.address = f.required_string("address", 45, Text::string);
    l.city = f.required_string("city", 45, Text::string);
    l.postal_code = f.optional_string("postal_code", 10, Text::string);
    l.state = f.optional_string("state", 20, Text::string);
    l.country = f.required_string("country", 3, Text::string);
    l.coordinates = read_coordinates(f.object("coordinates"));
}

CdrLocation read_cdr_location(const ObjectFields& f) {
    CdrLocation l;
    l.id = f.required_string("id", kId);
    read_place(f, l);
    l.evse_uid = f.required_string("evse_uid", kId);
    l.evse_id = f.required_string("evse_id", 48);
    l.connector_id = f.required_string("connector_id", kId);
    l.connector_standard = f.required_enum("connector_standard", kConnectorTypes);
    l.connector_format = f.required_enum("connector_format", kConnectorFormats);
    l.connector_power_type = f.required_enum("connector_power_type", kPowerTypes);
    return l;
}

// "HH:MM" as minutes of the day.
std::optional<int> read_time_of_day(const ObjectFields& f, const char* key) {
    const std::string text = f.optional_string(key, 5);
    if (text.empty()) return std::nullopt;
    const auto digit = [&](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (text.size() != 5 || !digit(0) || !digit(1) || text[2] != ':' || !digit(3) || !digit(4))
        f.fail(key, "expected a time of day HH:MM (24 h, leading zeros), got '" + text + "'");
    const int hour = (text[0] - '0') * 10 + (text[1] - '0');
    const int minute = (text[3] - '0') * 10 + (text[4] - '0');
    if (hour > 23 || minute > 59)
        f.fail(key, "expected a time of day from 00:00 to 23:59, got '" + text + "'");
    return hour * 60 + minute;
}

std::optional<int> read_date(const ObjectFields& f, const char* key) {
    const std::string text = f.optional_string(key, 10);
    if (text.empty()) return std::nullopt;
    if (text.size() != 10 || !parse_datetime(text + "T00:00:00Z"))
        f.fail(key, "expected a date YYYY-MM-DD, got '" + text + "'");
    return std::stoi(text.substr(0, 4)) * 10000 + std::stoi(text.substr(5, 2)) * 100 +
           std::stoi(text.substr(8, 2));
}

TariffRestrictions read_restrictions(const ObjectFields& f) {
    TariffRestrictions r;
    r.start_minute = read_time_of_day(f, "start_time");
    r.end_minute = read_time_of_day(f, "end_time");
    r.start_date = read_date(f, "start_date");
    r.end_date = read_date(f, "end_date");
    const auto range = [&](const char* min_key, const char* max_key, std::optional<double>& lo,
                           std::optional<double>& hi) {
        lo = f.optional_number(min_key);
        hi = f.optional_number(max_key);
        if (lo && *lo < 0) f.fail(min_key, "expected a number >= 0");
        if (hi && *hi < 0) f.fail(max_key, "expected a number >= 0");
        if (lo && hi && *hi < *lo) f.fail(max_key, std::string("expected at least ") + min_key);
    };
    range("min_kwh", "max_kwh", r.min_kwh, r.max_kwh);
    range("min_current", "max_current", r.min_current, r.max_current);
    range("min_power", "max_power", r.min_power, r.max_power);
    r.min_duration = f.optional_int("min_duration");
    r.max_duration = f.optional_int("max_duration");
    if (r.min_duration && r.max_duration && *r.max_duration < *r.min_duration)
        f.fail("max_duration", "expected at least min_duration");
    if (r.start_date && r.end_date && *r.end_date < *r.start_date)
        f.fail("end_date", "expected a date at or after start_date");
    static constexpr const char* kDays[] = {"SUNDAY",   "MONDAY", "TUESDAY", "WEDNESDAY",
                                            "THURSDAY", "FRIDAY", "SATURDAY"};
    for (const std::string& day : f.strings("day_of_week", 9)) {
        int index = -1;
        for (int d = 0; d < 7; ++d)
            if (day == kDays[d]) index = d;
        if (index < 0)
            f.fail("day_of_week",
                   "expected MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY or SUNDAY, got '" + day +
                       "'");
        r.day_of_week.push_back(index);
    }
    r.reservation = f.optional_enum("reservation", {"RESERVATION", "RESERVATION_EXPIRES"});
    return r;
}

}  // namespace

Tariff read_tariff(const ObjectFields& f) {
    Tariff t;
    read_owned(f, t);
    t.currency = f.required_string("currency", 3, Text::string);
    t.type = f.optional_enum("type",
                             {"AD_HOC_PAYMENT", "PROFILE_CHEAP", "PROFILE_FAST", "PROFILE_GREEN", "REGULAR"});
    for (const ObjectFields& d : f.objects("tariff_alt_text")) {
        DisplayText text;
        text.language = d.required_string("language", 2, Text::string);
        text.text = d.required_string("text", 512, Text::string);
        t.tariff_alt_text.push_back(std::move(text));
    }
    t.tariff_alt_url = f.optional_string("tariff_alt_url", 255, Text::string);
    t.min_price = optional_price(f, "min_price");
    t.max_price = optional_price(f, "max_price");
    if (t.min_price && t.max_price && t.max_price->excl_vat < t.min_price->excl_vat)
        f.fail("max_price", "expected at least min_price");
    for (const ObjectFields& e : f.objects("elements", 1)) {
        TariffElement element;
        for (const ObjectFields& c : e.objects("price_components", 1)) {
            PriceComponent pc;
            const std::string type = c.required_enum("type", {"ENERGY", "FLAT", "PARKING_TIME", "TIME"});
            pc.type = type == "ENERGY" ? TariffDimension::energy
                      : type == "FLAT" ? TariffDimension::flat
                      : type == "TIME" ? TariffDimension::time
                                       : TariffDimension::parking_time;
            pc.price = c.required_number("price");
            pc.vat = c.optional_number("vat");
            if (pc.vat && (*pc.vat < 0 || *pc.vat > 100))
                c.fail("vat", "expected a percentage from 0 to 100");
            pc.step_size = c.required_int("step_size", 0);
            element.price_components.push_back(pc);
        }
        if (e.has("restrictions")) element.restrictions = read_restrictions(e.object("restrictions"));
        t.elements.push_back(std::move(element));
    }
    t.start_date_time = f.optional_datetime("start_date_time");
    t.end_date_time = f.optional_datetime("end_date_time");
    if (t.start_date_time && t.end_date_time && *t.end_date_time < *t.start_date_time)
        f.fail("end_date_time", "expected a time at or after start_date_time");
    t.last_updated = f.required_datetime("last_updated");
    return t;
}

Cdr read_cdr(const ObjectFields& f) {
    Cdr c;
    read_owned(f, c, 39);
    c.start_date_time = f.required_datetime("start_date_time");
    if (!f.has("end_date_time")) f.fail("end_date_time", "required field missing (a DateTime)");
    c.end_date_time = *read_end(f, c.start_date_time);
    c.session_id = f.optional_string("session_id", kId);
    c.cdr_token = read_token(f.object("cdr_token"));
    c.auth_method = f.required_enum("auth_method", kAuthMethods);
    c.authorization_reference = f.optional_string("authorization_reference", kId);
    c.cdr_location = read_cdr_location(f.object("cdr_location"));
    c.meter_id = f.optional_string("meter_id", 255, Text::string);
    c.currency = f.required_string("currency", 3, Text::string);
    for (const ObjectFields& t : f.objects("tariffs")) c.tariffs.push_back(read_tariff(t));
    c.charging_periods = read_periods(f, 1);
    check_periods(f, c.charging_periods, c.start_date_time, c.end_date_time);
    c.total_cost = read_price(f.object("total_cost"));
    c.total_fixed_cost = optional_price(f, "total_fixed_cost");
    c.total_energy = f.required_number("total_energy");
    c.total_energy_cost = optional_price(f, "total_energy_cost");
    c.total_time = f.required_number("total_time");
    if (c.total_time < 0) f.fail("total_time", "expected hours >= 0");
    c.total_time_cost = optional_price(f, "total_time_cost");
    c.total_parking_time = f.optional_number("total_parking_time");
    if (c.total_parking_time && (*c.total_parking_time < 0 || *c.total_parking_time > c.total_time + 1e-6))
        f.fail("total_parking_time", "expected hours from 0 to total_time");
    c.total_parking_cost = optional_price(f, "total_parking_cost");
    c.total_reservation_cost = optional_price(f, "total_reservation_cost");
    c.remark = f.optional_string("remark", 255, Text::string);
    c.last_updated = f.required_datetime("last_updated");
    return c;
}

Session read_session(const ObjectFields& f) {
    Session s;
    read_owned(f, s);
    s.start_date_time = f.required_datetime("start_date_time");
    s.end_date_time = read_end(f, s.start_date_time);
    s.kwh = f.required_number("kwh");
    s.cdr_token = read_token(f.object("cdr_token"));
    s.auth_method = f.required_enum("auth_method", kAuthMethods);
    s.authorization_reference = f.optional_string("authorization_reference", kId);
    s.location_id = f.required_string("location_id", kId);
    s.evse_uid = f.required_string("evse_uid", kId);
    s.connector_id = f.required_string("connector_id", kId);
    s.meter_id = f.optional_string("meter_id", 255, Text::string);
    s.currency = f.required_string("currency", 3, Text::string);
    s.charging_periods = read_periods(f, 0);
    check_periods(f, s.charging_periods, s.start_date_time, s.end_date_time);
    s.total_cost = optional_price(f, "total_cost");
    s.status = f.required_enum("status", {"ACTIVE", "COMPLETED", "INVALID", "PENDING", "RESERVATION"});
    s.last_updated = f.required_datetime("last_updated");
    return s;
}

Location read_location(const ObjectFields& f) {
    Location l;
    read_owned(f, l);
    const auto publish = f.optional_bool("publish");
    if (!publish) f.fail("publish", "required field missing (true or false)");
    l.publish = *publish;
    read_place(f, l);
    l.parking_type = f.optional_enum("parking_type", {"ALONG_MOTORWAY", "PARKING_GARAGE", "PARKING_LOT",
                                                      "ON_DRIVEWAY", "ON_STREET", "UNDERGROUND_GARAGE"});
    for (const ObjectFields& e : f.objects("evses")) {
        Evse evse;
        evse.uid = e.required_string("uid", kId);
        evse.evse_id = e.optional_string("evse_id", 48);
        evse.status = e.required_enum("status", {"AVAILABLE", "BLOCKED", "CHARGING", "INOPERATIVE",
                                                 "OUTOFORDER", "PLANNED", "REMOVED", "RESERVED", "UNKNOWN"});
        evse.capabilities = e.strings("capabilities", 64);
        for (const ObjectFields& c : e.objects("connectors", 1)) {
            Connector connector;
            connector.id = c.required_string("id", kId);
            connector.standard = c.required_enum("standard", kConnectorTypes);
            connector.format = c.required_enum("format", kConnectorFormats);
            connector.power_type = c.required_enum("power_type", kPowerTypes);
            connector.max_voltage = c.required_int("max_voltage");
            connector.max_amperage = c.required_int("max_amperage");
            connector.max_electric_power = c.optional_int("max_electric_power");
            connector.tariff_ids = c.strings("tariff_ids", kId);
            connector.last_updated = c.required_datetime("last_updated");
            evse.connectors.push_back(std::move(connector));
        }
        evse.physical_reference = e.optional_string("physical_reference", 16, Text::string);
        evse.last_updated = e.required_datetime("last_updated");
        l.evses.push_back(std::move(evse));
    }
    l.time_zone = f.required_string("time_zone", 255, Text::string);
    try {
        TimeZone zone(l.time_zone);
    } catch (const std::exception&) {
        f.fail("time_zone", "expected an IANA time zone (e.g. Europe/Amsterdam), got '" + l.time_zone + "'");
    }
    l.last_updated = f.required_datetime("last_updated");
    return l;
}

}  // namespace evtwin::ocpi
