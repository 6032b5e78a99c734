#include "plugins/milp/formulation/vehicle_jobs.hpp"

#include <algorithm>
#include <span>

namespace evtwin::milp {
namespace {

// The departure a session present is planned with: its declared one, or the one the demand
// forecast expects, when the engine would let it take effect.
Time planned_departure(const Observation& obs, const SessionView& session, const ChargingOptions& options) {
    if (options.true_departures && session.expected_departure > session.arrival)
        return takes_effect(obs, session.expected_departure);
    return takes_effect(obs, session.declared_departure);
}

// The inlet energy that fills a battery from `soc`: what it holds more, over its charge losses.
double inlet_room_kwh(double soc, double capacity_kwh, double battery_charge_efficiency) {
    const double room = (1.0 - soc) * capacity_kwh;
    return battery_charge_efficiency > 0.0 ? room / battery_charge_efficiency : room;
}

// The falling lines of its curve that can hold it below what its charger gives: a line still above
// that at the SoC its room fills the battery to never does (its rows would change nothing).
void set_taper(VehicleJob& job, std::span<const ChargeCurvePoint> curve, double rated_kw, double charger_kw,
               double soc, double battery_charge_efficiency, double capacity_kwh) {
    if (capacity_kwh <= 0.0) return;
    job.soc = soc;
    job.soc_per_kwh = battery_charge_efficiency / capacity_kwh;
    const double top_soc = soc + job.soc_per_kwh * job.room_kwh;
    const double most_inlet_kw = std::max(job.charge_kw, job.charge_kw_later) * job.efficiency;
    for (const TaperLine& line : taper_lines(curve, rated_kw))
        if (line.a_kw + line.b_kw_per_soc * top_soc < most_inlet_kw) job.taper.push_back(line);
    job.taper_cap_kw = std::min(charger_kw * job.efficiency, curve_top_kw(curve, rated_kw));
}

// What the job's driver needs: without a goal, need_kwh by its departure; with one, what is left of
// it by its time (by the departure at the latest) and the rest worth its value. The minimum power is
// what the charger and the curve give at the SoC its room fills to, where that is less.
void set_needs(VehicleJob& job, const ChargingNeeds& needs, Time arrival, double delivered_kwh) {
    job.goal_by = job.departure;
    job.goal_kwh = job.need_kwh;
    if (needs.has_goal(arrival)) {
        // Not rounded to a period as arrivals and departures are: a goal within a period counts the
        // part of the period's power before it.
        job.goal_by = std::min(job.departure, needs.goal_by);
        job.goal_kwh = std::clamp(needs.goal_kwh - delivered_kwh, 0.0, job.need_kwh);
        job.value_per_kwh = needs.value_per_kwh;
    }
    job.min_kw = std::min(needs.min_charge_kw, std::max(job.charge_kw, job.charge_kw_later));
    const double top_soc = job.soc + job.soc_per_kwh * job.room_kwh;
    for (const TaperLine& line : job.taper)
        job.min_kw = std::min(job.min_kw, (line.a_kw + line.b_kw_per_soc * top_soc) / job.efficiency);
    job.min_kw = std::max(0.0, job.min_kw);
}

VehicleJob present_job(const Observation& obs, const ChargingOptions& options, std::uint32_t index,
                       Time leaves) {
    const SessionView& session = obs.sessions[index];
    const ConnectorView& connector = obs.connectors[session.connector];
    VehicleJob job;
    job.id = session.id;
    job.session = index;
    job.connector = session.connector;
    job.arrival = obs.now;
    // A vehicle still here after it said it would leave stays at least one more period: planned
    // to leave now, it would be given nothing while it waits. One leaving within the period is
    // planned to its departure, not to the period's end: what it is given after it left is lost.
    if (leaves <= obs.now) {
        job.departure = obs.now + obs.control_period;
    } else {
        const Time with_margin = leaves - options.departure_margin;
        job.departure = with_margin > obs.now ? with_margin : leaves;
    }
    job.need_kwh = session.remaining_kwh;
    job.room_kwh = std::max(
        0.0, std::min(session.remaining_kwh,
                      inlet_room_kwh(session.soc, session.capacity_kwh, session.battery_charge_efficiency)));
    job.floor_kwh = std::max(
        0.0, (session.soc - session.min_soc) * session.capacity_kwh * session.battery_discharge_efficiency);
    job.charge_kw = job.charge_kw_later =
        connector.usable() ? std::min(session.max_charge_kw, connector.max_kw) : 0.0;
    if (options.v2g && session.v2g_allowed && connector.v2g_capable && connector.usable()) {
        // Its rates now stop at its request and at its minimum SoC; once it has given energy back
        // (or taken some) it takes and gives at its charge curve and rating again.
        job.discharge_kw = std::min(session.max_discharge_kw, connector.max_kw);
        job.discharge_kw_later = std::min(session.rated_discharge_kw, connector.max_kw);
        job.charge_kw_later = std::min(session.recharge_kw, connector.max_kw);
    }
    job.efficiency = session.charge_efficiency;
    if (options.wear_weight > 0.0) {
        job.wear = weighted(session.wear, options.wear_weight);
        job.high_kwh = (session.soc - kWearReferenceSoc) * session.capacity_kwh;
    }
    set_taper(job, session.charge_curve, session.curve_rated_kw, connector.max_kw, session.soc,
              session.battery_charge_efficiency, session.capacity_kwh);
    set_needs(job, session.needs, session.arrival, session.delivered_kwh);
    return job;
}

// Where a vehicle to come plugs in: the first connector (of the charger its data names, if any)
// that is free at its arrival by the departures (declared, or true with foresight) of the sessions
// present and planned before it.
ConnectorIndex assign_connector(const Observation& obs, const UpcomingSession& vehicle, Time leaves,
                                std::vector<Time>& busy_until) {
    for (ConnectorIndex connector = 0; connector < obs.connectors.size(); ++connector) {
        if (vehicle.charger != kNone && obs.connectors[connector].charger != vehicle.charger) continue;
        if (busy_until[connector] <= takes_effect(obs, vehicle.arrival)) {
            busy_until[connector] = leaves;
            return connector;
        }
    }
    return kNone;
}

VehicleJob upcoming_job(const Observation& obs, const ChargingOptions& options,
                        const UpcomingSession& vehicle, ConnectorIndex connector_index, Time leaves,
                        double efficiency) {
    const ConnectorView& connector = obs.connectors[connector_index];
    VehicleJob job;
    job.id = vehicle.id;
    job.connector = connector_index;
    job.arrival = std::max(takes_effect(obs, vehicle.arrival), obs.now);
    job.departure = std::max(job.arrival + Duration(1), leaves - options.departure_margin);
    job.efficiency = efficiency;
    const double vehicle_kw = connector.dc ? vehicle.max_dc_kw : vehicle.max_ac_kw;
    job.charge_kw = job.charge_kw_later =
        vehicle_kw > 0 ? std::min(connector.max_kw, vehicle_kw / job.efficiency) : connector.max_kw;
    job.need_kwh = vehicle.requested_kwh;
    job.room_kwh = std::max(
        0.0, std::min(vehicle.requested_kwh, inlet_room_kwh(vehicle.initial_soc, vehicle.capacity_kwh,
                                                            vehicle.battery_charge_efficiency)));
    job.floor_kwh = std::max(0.0, (vehicle.initial_soc - vehicle.min_soc) * vehicle.capacity_kwh *
                                      vehicle.battery_discharge_efficiency);
    if (options.v2g && vehicle.v2g_allowed && connector.v2g_capable && vehicle.max_discharge_kw > 0)
        job.discharge_kw = job.discharge_kw_later =
            std::min(connector.max_kw, vehicle.max_discharge_kw * job.efficiency);
    job.wear = weighted(vehicle.wear, options.wear_weight);
    job.high_kwh = (vehicle.initial_soc - kWearReferenceSoc) * vehicle.capacity_kwh;
    set_taper(job, vehicle.charge_curve, vehicle_kw, connector.max_kw, vehicle.initial_soc,
              vehicle.battery_charge_efficiency, vehicle.capacity_kwh);
    set_needs(job, vehicle.needs, vehicle.arrival, 0.0);
    return job;
}

}  // namespace

std::vector<VehicleJob> vehicle_jobs(const Observation& obs, const ChargingOptions& options,
                                     const std::vector<UpcomingSession>* upcoming) {
    std::vector<VehicleJob> jobs;
    std::vector<Time> busy_until(obs.connectors.size(), obs.now);
    for (std::uint32_t index = 0; index < obs.sessions.size(); ++index) {
        const SessionView& session = obs.sessions[index];
        if (session.connector >= obs.connectors.size()) continue;
        const Time leaves = planned_departure(obs, session, options);
        busy_until[session.connector] = std::max(obs.now, leaves);
        const VehicleJob job = present_job(obs, options, index, leaves);
        if (job.need_kwh <= kPlanningEps && job.discharge_kw_later <= kPlanningEps) continue;
        jobs.push_back(job);
    }
    if (!options.use_upcoming) return jobs;
    const std::span<const UpcomingSession> to_come =
        upcoming ? std::span<const UpcomingSession>(*upcoming) : obs.upcoming;
    for (const UpcomingSession& vehicle : to_come) {
        if (vehicle.declared_departure <= vehicle.arrival || vehicle.declared_departure <= obs.now) continue;
        const bool true_departure = options.true_departures && vehicle.departure > vehicle.arrival;
        if (true_departure && vehicle.departure <= obs.now) continue;
        const Time leaves =
            takes_effect(obs, true_departure ? vehicle.departure : vehicle.declared_departure);
        const ConnectorIndex connector = assign_connector(obs, vehicle, leaves, busy_until);
        if (connector == kNone) continue;  // no connector free: it would be turned away
        const double efficiency = options.upcoming_efficiency > 0 ? options.upcoming_efficiency
                                                                  : obs.connectors[connector].efficiency;
        const VehicleJob job = upcoming_job(obs, options, vehicle, connector, leaves, efficiency);
        if (job.need_kwh <= kPlanningEps && job.discharge_kw <= kPlanningEps) continue;
        jobs.push_back(job);
    }
    return jobs;
}

}  // namespace evtwin::milp
