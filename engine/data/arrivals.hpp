#pragma once
// Sources of charging sessions: a seeded synthetic generator from the ElaadNL statistics, and an
// importer for ACN-Data JSON exports. Both produce SessionSpec lists sorted by arrival.
#include <evtwin/errors.hpp>
#include "model/vehicle_spec.hpp"
#include "util/rng.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace evtwin {

struct ElaadnlParams {
    std::filesystem::path data_dir;           // folder with the elaadnl_*.csv / *.json files
    std::string site_type = "workplace";      // private | public | workplace
    double arrivals_per_weekday = 20.0;       // mean number of sessions on a weekday
    double arrivals_per_weekend_day = 5.0;    // mean number on Saturday/Sunday
    std::string timezone = "UTC";             // arrival slots are local time
    bool v2g_fleet = false;                   // draw models from the V2G-enabled spec list
    double declared_departure_noise_h = 0.0;  // sd of declared minus true departure, hours
    double min_initial_soc = 0.1;
    // Cap each request at what the vehicle's on-board charger (max AC kW) can take during its stay.
    // The tables describe energy actually charged, but energy and stay are drawn independently, so
    // without the cap a short stay can come with a request no charger could meet.
    bool feasible_requests = true;
    // Refused when the mean number of sessions over the period would exceed it (not drawn).
    double most_sessions = 5e6;
};

std::vector<SessionSpec> generate_elaadnl_sessions(const ElaadnlParams& params, Time start, Time end,
                                                   Rng& rng);

struct AcnImportOptions {
    Time start = Time::min();  // keep sessions whose connection time is in [start, end)
    Time end = Time::max();
    double default_capacity_kwh = 60.0;  // ACN-Data has no battery data
    double default_max_kw = 7.0;
    double initial_soc = 0.2;  // assumed, since ACN-Data has no SoC
    // true: requested energy and declared departure from the driver's last userInputs entry when
    // there is one; false: from kWhDelivered and disconnectTime (replays what actually happened).
    bool use_user_inputs = true;
};

std::vector<SessionSpec> load_acn_json(const std::filesystem::path& file, const AcnImportOptions& options);

// The most energy an ACN-Data session may ask for or take: more than any vehicle's battery holds, so
// a larger value is a typing error (the shared files ask for 215 kWh at most), which would otherwise
// give the vehicle a battery that large.
inline constexpr double kMostAcnSessionKwh = 1000.0;

// One ACN-Data session (JSON or CSV export): ACN-Data has no battery data, so the vehicle gets the
// options' default capacity, enlarged when the energy asked for or delivered would not fit above the
// assumed initial SoC.
SessionSpec acn_session(std::string station, Time arrival, Time departure, Time declared_departure,
                        double requested_kwh, double delivered_kwh, const AcnImportOptions& options);

// ACN-Data sessions as CSV (e.g. ../shared/data/sessions/acn_caltech_2019-05-01_2019-08-31.csv.gz,
// gzip or plain): arrival, departure (ISO with offset), requested_energy (kWh), delivered_energy
// (kWh), station_id, estimated_departure, ... With use_user_inputs, the request is
// requested_energy when positive (else delivered_energy) and the declared departure is
// estimated_departure; otherwise delivered_energy and departure.
std::vector<SessionSpec> load_acn_csv(const std::filesystem::path& file, const AcnImportOptions& options);

struct AcnSimOptions {
    // Period indices count `period`s from `start_local` (local midnight when only a date), a time in
    // `timezone`. The defaults are those of
    // ../shared/data/sessions/acnsim_events_caltech_2019-03_5m_208V_6.6kW.json.gz.
    std::string start_local = "2019-03-01";
    std::string timezone = "America/Los_Angeles";
    Duration period = Duration::minutes(5);
    double default_max_kw = 6.6;  // for a battery without _max_power
    // Cap each request at what its battery's max power delivers in the stay, as acnportal's
    // generate_events(force_feasible=True) does; the file's requests are kept otherwise.
    bool force_feasible = false;
    Time start = Time::min();  // keep sessions arriving in [start, end)
    Time end = Time::max();
};

// acnportal's serialised EventQueue (JSON, gzip or plain; the document may be a JSON string that
// holds the JSON): one session per PluginEvent, from its EV and the EV's Battery.
std::vector<SessionSpec> load_acnsim_events(const std::filesystem::path& file, const AcnSimOptions& options);

struct NorwayImportOptions {
    std::string garage;  // keep only this Garage_ID; empty: all
    std::string timezone = "Europe/Oslo";
    double capacity_kwh = 60.0;  // the data set has no battery data
    double max_kw = 7.0;
    double initial_soc = 0.2;
    // Stay assumed where End_plugout is "NA" (34 sessions still plugged in when logging stopped).
    Duration unknown_stay = Duration::hours(12);
    Time start = Time::min();
    Time end = Time::max();
};

// Residential sessions of the Norwegian apartment-garage data set
// (../shared/data/sessions/norway_residential_2018-12_2020-01.csv): ';'-separated, decimal commas,
// local "dd.mm.yyyy HH:MM" times. Requested energy = El_kWh; station = the user's own charge point
// (User_ID) for private users, the shared one (Shared_ID) for shared users.
std::vector<SessionSpec> load_norway_csv(const std::filesystem::path& file,
                                         const NorwayImportOptions& options);

// Orders sessions by arrival (then departure; equal ones keep their order) and numbers their ids
// 0..n-1 in that order: what every source of sessions, and the merge of several, hands on.
void sort_by_arrival_and_number(std::vector<SessionSpec>& sessions);

}  // namespace evtwin
