#pragma once
// Collects what a scenario script declares and turns it into a ScenarioSpec. The DSL bindings
// validate each table when it is declared; files are read and random sessions drawn in finish(),
// once the period, time zone and seed are known, so the order of statements does not matter (except
// that the grid comes before the nodes under it). Every declaration keeps its "file:line: " so a
// late failure still points at the statement that caused it.
#include "data/arrivals.hpp"
#include "data/tariff_file.hpp"
#include "model/feeder_spec.hpp"
#include "model/local_time.hpp"
#include "model/scenario_spec.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace evtwin {

struct ProfileDecl {
    std::string at;  // "file:line: " of the declaration
    std::string name;
    NodeIndex node = 0;
    double kwp = 0.0;                // pv only
    std::optional<double> constant;  // load with kw = ...
    std::filesystem::path file;
    std::string column;
    double scale = 1.0;
};

struct TariffDecl {
    std::string at;
    bool price_series = false;  // prices_csv rather than a tariff file
    std::filesystem::path file;
    TariffOptions options;
    std::string timezone;  // empty: the scenario's
};

struct ElaadnlDecl {
    std::string at;
    ElaadnlParams params;
    NodeIndex node = kNone;  // its sessions use the chargers below this node alone; kNone: any
};

// A file of real sessions (arrivals.acn_json, acn_csv, acnsim_events, norway_csv, ocpi): `load` reads
// it, keeping the sessions that arrive in [start, end).
struct SessionFileDecl {
    std::string at;
    std::string construct;
    std::function<std::vector<SessionSpec>(Time start, Time end)> load;
};

// battery{}: what the builder still has to read or apply once the sessions are drawn.
struct BatteryDecl {
    std::string at;
    std::optional<ProfileDecl> ambient;     // ambient_csv
    std::optional<Chemistry> ev_chemistry;  // for every vehicle without one of its own
};

struct SessionDecl {
    std::string at;
    std::string arrival;
    std::string departure;
    std::string declared_departure;  // empty: the true departure
    std::string goal_by;             // empty: no goal
    SessionSpec session;
    bool v2g_power_given = false;
    bool chemistry_given = false;
};

// reservations{}: drawn for a share of the sessions once they are drawn, and listed ones.
struct ReservationListed {
    std::string at;  // "file:line: " of the reservations{} block
    std::string id_tag, station, from, to;
};
struct ReservationsDecl {
    std::string at;
    double share = 0.0;                  // of the sessions, whose driver reserves
    Duration lead_min, lead_max;         // the reservation starts this long before the arrival
    Duration hold = Duration::hours(1);  // and expires this long after it starts
    double no_show = 0.0;                // of the reserving drivers, who never come
    std::vector<ReservationListed> listed;
    // Offered to returning drivers for their predicted next charge (drivers/suggested_reservations.hpp):
    // the predictor ("frequency", "last_week" or a model file), its threshold, the margin around the
    // predicted hour, and how far before the start the data files' sessions are its history.
    struct Suggested {
        std::string predictor;
        double min_probability = 0.5;
        Duration margin = Duration::hours(1);
        Duration history = Duration::hours(24 * 90);
    };
    std::optional<Suggested> suggested;
};

class ScenarioBuilder {
public:
    // Declared element names and what they are ("grid", "transformer", "charger", "pv", ...).
    std::map<std::string, std::string> names;
    std::map<std::string, NodeIndex> node_index;

    ScenarioSpec spec;
    std::string scenario_at;  // empty until scenario{} ran
    std::optional<TimeZone> zone;
    std::string start_text;  // for messages
    bool have_grid = false;
    bool have_economics = false;
    // Where economics{} gave a charging tariff ("file:line: "), and that tariff's currency.
    std::string charging_tariff_at, charging_tariff_currency;
    bool have_forecast = false;
    bool have_live = false;

    std::vector<ProfileDecl> pv;
    std::vector<ProfileDecl> loads;
    std::optional<TariffDecl> tariff;
    std::vector<ElaadnlDecl> elaadnl;
    std::vector<SessionFileDecl> acn_json;       // read before the other session files
    std::vector<SessionFileDecl> session_files;  // acn_csv, acnsim_events, norway_csv, ocpi
    std::vector<SessionDecl> sessions;
    std::optional<BatteryDecl> battery;
    // distribution_feeder{} and its load profiles (FeederSpec::load_scales, in their order)
    std::shared_ptr<FeederSpec> distribution_feeder;
    std::vector<ProfileDecl> distribution_feeder_profiles;
    std::optional<ReservationsDecl> reservations;

    // Throws std::runtime_error "<construct>: name 'x' is already used by a <kind>" on a clash.
    void claim_name(const std::string& construct, const std::string& name, const std::string& kind);

    // Reads the files, draws the sessions and checks what must be there. `end_of_file` is the
    // "file:line: " used for what is missing. Throws ScenarioError.
    ScenarioSpec finish(const std::string& end_of_file);

private:
    std::vector<SessionSpec> build_sessions();
    // Appends the sessions of the session files arriving in [from, to).
    void load_session_files(Time from, Time to, std::vector<SessionSpec>& all) const;
    // The sessions of the data files arriving in the forecast history before the run's start.
    std::vector<SessionSpec> build_history_sessions();
    // spec.reservations from reservations{}; the sessions of drivers who never come are taken out
    // of spec.sessions (scenario/reservation_draw.cpp).
    void build_reservations();
    // The reservations offered to returning drivers (reservations { suggested = ... }).
    std::vector<ReservationSpec> suggested_reservations(const ReservationsDecl::Suggested& d,
                                                        const std::string& at) const;
};

// Throws std::runtime_error naming a charger, PV, ESS or load of the site below no node the feeder's
// sites attach (dsl_distribution_feeder.cpp).
void check_feeder_covers_site(const ScenarioSpec& spec, const FeederSpec& feeder);

// Charge curves for vehicles that come without one (fraction of rated power against SoC).
const std::vector<ChargeCurvePoint>& default_ac_curve();
const std::vector<ChargeCurvePoint>& default_dc_curve();

}  // namespace evtwin
