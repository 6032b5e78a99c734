#pragma once
// The OCPI 2.2.1 objects evtwin reads and writes: Session, CDR, Tariff and Location with the classes
// they hold, as the specification names their fields (docs/ocpi.md). Times are evtwin::Time (UTC);
// an enumeration the arithmetic does not use is kept as its specification text, checked on reading.
#include <evtwin/time.hpp>

#include <optional>
#include <string>
#include <vector>

namespace evtwin::ocpi {

struct Price {
    double excl_vat = 0.0;
    std::optional<double> incl_vat;  // absent when a price component of it gives no VAT
};

struct DisplayText {
    std::string language;  // ISO 639-1
    std::string text;
};

struct CdrToken {
    std::string country_code;
    std::string party_id;
    std::string uid;
    std::string type;  // TokenType: AD_HOC_USER, APP_USER, OTHER, RFID
    std::string contract_id;
};

struct CdrDimension {
    std::string type;  // CdrDimensionType: ENERGY, TIME, PARKING_TIME, MAX_POWER, MIN_POWER, ...
    double volume = 0.0;
};

// A period lasts from its start to the next period's start, the last one to the session's end.
struct ChargingPeriod {
    Time start_date_time;
    std::vector<CdrDimension> dimensions;
    std::string tariff_id;  // empty: none given

    std::optional<double> volume(const std::string& type) const;
};

struct GeoLocation {
    std::string latitude;  // decimal degrees as text, as the specification has them
    std::string longitude;
};

struct CdrLocation {
    std::string id;
    std::string name;
    std::string address;
    std::string city;
    std::string postal_code;
    std::string state;
    std::string country;  // ISO 3166-1 alpha-3
    GeoLocation coordinates;
    std::string evse_uid;
    std::string evse_id;
    std::string connector_id;
    std::string connector_standard;    // ConnectorType
    std::string connector_format;      // ConnectorFormat
    std::string connector_power_type;  // PowerType
};

enum class TariffDimension { energy, flat, parking_time, time };

struct PriceComponent {
    TariffDimension type = TariffDimension::energy;
    double price = 0.0;         // per kWh, per hour or per session (FLAT), excluding VAT
    std::optional<double> vat;  // percent; absent is no VAT known, unlike 0
    int step_size = 1;          // Wh for ENERGY, seconds for TIME and PARKING_TIME
};

struct TariffRestrictions {
    std::optional<int> start_minute;  // start_time "HH:MM" as minutes of the local day
    std::optional<int> end_minute;
    std::optional<int> start_date;  // local, inclusive, as the number yyyymmdd ("2015-12-24": 20151224)
    std::optional<int> end_date;    // exclusive
    std::optional<double> min_kwh, max_kwh;
    std::optional<double> min_current, max_current;
    std::optional<double> min_power, max_power;
    std::optional<int> min_duration, max_duration;  // seconds
    std::vector<int> day_of_week;                   // 0 = Sunday .. 6 = Saturday; empty: every day
    std::string reservation;                        // RESERVATION, RESERVATION_EXPIRES; empty: none
};

struct TariffElement {
    std::vector<PriceComponent> price_components;
    std::optional<TariffRestrictions> restrictions;
};

struct Tariff {
    std::string country_code;
    std::string party_id;
    std::string id;
    std::string currency;
    std::string type;  // TariffType; empty: valid for every session
    std::vector<DisplayText> tariff_alt_text;
    std::string tariff_alt_url;
    std::optional<Price> min_price;
    std::optional<Price> max_price;
    std::vector<TariffElement> elements;
    std::optional<Time> start_date_time;
    std::optional<Time> end_date_time;
    Time last_updated;
};

struct Cdr {
    std::string country_code;
    std::string party_id;
    std::string id;
    Time start_date_time;
    Time end_date_time;
    std::string session_id;
    CdrToken cdr_token;
    std::string auth_method;  // AuthMethod: AUTH_REQUEST, COMMAND, WHITELIST
    std::string authorization_reference;
    CdrLocation cdr_location;
    std::string meter_id;
    std::string currency;
    std::vector<Tariff> tariffs;
    std::vector<ChargingPeriod> charging_periods;
    Price total_cost;
    std::optional<Price> total_fixed_cost;
    double total_energy = 0.0;  // kWh
    std::optional<Price> total_energy_cost;
    double total_time = 0.0;  // hours
    std::optional<Price> total_time_cost;
    std::optional<double> total_parking_time;  // hours
    std::optional<Price> total_parking_cost;
    std::optional<Price> total_reservation_cost;
    std::string remark;
    Time last_updated;
};

struct Session {
    std::string country_code;
    std::string party_id;
    std::string id;
    Time start_date_time;
    std::optional<Time> end_date_time;
    double kwh = 0.0;
    CdrToken cdr_token;
    std::string auth_method;
    std::string authorization_reference;
    std::string location_id;
    std::string evse_uid;
    std::string connector_id;
    std::string meter_id;
    std::string currency;
    std::vector<ChargingPeriod> charging_periods;
    std::optional<Price> total_cost;
    std::string status;  // SessionStatus: ACTIVE, COMPLETED, INVALID, PENDING, RESERVATION
    Time last_updated;
};

struct Connector {
    std::string id;
    std::string standard;
    std::string format;
    std::string power_type;
    int max_voltage = 0;
    int max_amperage = 0;
    std::optional<int> max_electric_power;  // W
    std::vector<std::string> tariff_ids;
    Time last_updated;
};

struct Evse {
    std::string uid;
    std::string evse_id;
    std::string status;  // Status: AVAILABLE, BLOCKED, CHARGING, ...
    std::vector<std::string> capabilities;
    std::vector<Connector> connectors;
    std::string physical_reference;
    Time last_updated;
};

struct Location {
    std::string country_code;
    std::string party_id;
    std::string id;
    bool publish = true;
    std::string name;
    std::string address;
    std::string city;
    std::string postal_code;
    std::string state;
    std::string country;
    GeoLocation coordinates;
    std::string parking_type;
    std::vector<Evse> evses;
    std::string time_zone;  // IANA
    Time last_updated;
};

const char* to_string(TariffDimension d);

}  // namespace evtwin::ocpi
