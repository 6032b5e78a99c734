#include "ocpi/format/tariff_pricing.hpp"

#include "ocpi/format/usage_slices.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace evtwin::ocpi {

namespace {

// kWh a slice's running total may miss a restriction's bound by: the slices are cut at whole
// milliseconds.
constexpr double kKwhSlack = 1e-4;

bool in_day_window(int minute, const TariffRestrictions& r) {
    if (!r.start_minute && !r.end_minute) return true;
    const int from = r.start_minute.value_or(0);
    const int to = r.end_minute ? (*r.end_minute == 0 ? 1440 : *r.end_minute) : 1440;
    if (from == to) return true;
    if (from < to) return minute >= from && minute < to;
    return minute >= from || minute < to;  // wraps past midnight
}

// Where a slice starts on the location's clock.
struct SliceClock {
    int minute = 0;  // of the day
    int weekday = 0;
    int date = 0;  // yyyymmdd
};

SliceClock clock_at(Time t, const TimeZone& zone) {
    const LocalDateTime local = zone.to_local(t);
    return {local.hour * 60 + local.minute, local.weekday,
            local.year * 10000 + local.month * 100 + local.day};
}

bool holds(const TariffRestrictions& r, const UsageSlice& s, const SliceClock& clock, Time session_start) {
    if (r.start_date && clock.date < *r.start_date) return false;
    if (r.end_date && clock.date >= *r.end_date) return false;
    if (!r.reservation.empty()) return false;
    if (!in_day_window(clock.minute, r)) return false;
    if (r.min_kwh && s.kwh_before < *r.min_kwh - kKwhSlack) return false;
    if (r.max_kwh && s.kwh_before >= *r.max_kwh - kKwhSlack) return false;
    if ((r.min_current || r.max_current) && !s.current_a) return false;
    if (r.min_current && *s.current_a < *r.min_current) return false;
    if (r.max_current && *s.current_a >= *r.max_current) return false;
    if ((r.min_power || r.max_power) && !s.power_kw) return false;
    if (r.min_power && *s.power_kw < *r.min_power) return false;
    if (r.max_power && *s.power_kw >= *r.max_power) return false;
    const std::int64_t elapsed_ms = (s.start - session_start).ms();
    if (r.min_duration && elapsed_ms < *r.min_duration * 1000LL) return false;
    if (r.max_duration && elapsed_ms >= *r.max_duration * 1000LL) return false;
    if (!r.day_of_week.empty() &&
        std::find(r.day_of_week.begin(), r.day_of_week.end(), clock.weekday) == r.day_of_week.end())
        return false;
    return true;
}

const PriceComponent* applicable(const Tariff& tariff, TariffDimension d, const UsageSlice& s,
                                 const SliceClock& clock, Time session_start) {
    for (const TariffElement& e : tariff.elements) {
        if (e.restrictions && !holds(*e.restrictions, s, clock, session_start)) continue;
        for (const PriceComponent& pc : e.price_components)
            if (pc.type == d) return &pc;
    }
    return nullptr;
}

// A dimension's cost, excluding and including VAT (the latter unknown once a component gives none).
struct Bill {
    double excl = 0.0;
    double incl = 0.0;
    bool vat_known = true;

    void add(const PriceComponent& pc, double quantity) {
        const double cost = pc.price * quantity;
        excl += cost;
        if (pc.vat)
            incl += cost * (1.0 + *pc.vat / 100.0);
        else if (cost != 0.0 || pc.price != 0.0)
            vat_known = false;
    }
    Price price() const {
        Price p{excl, std::nullopt};
        if (vat_known) p.incl_vat = incl;
        return p;
    }
};

// The quantity rounded up to whole steps, with a tolerance for sums of binary fractions.
double round_up(double quantity, int step) {
    if (step <= 0 || quantity <= 0) return quantity;
    return std::ceil(quantity / step - 1e-9) * step;
}

}  // namespace

SessionCosts price_session(const Tariff& tariff, const std::vector<ChargingPeriod>& periods, Time start,
                           Time end, const TimeZone& zone) {
    const std::vector<UsageSlice> slices = usage_slices(tariff, periods, start, end, zone);
    Bill fixed, energy, charging, parking;
    const PriceComponent* last_energy = nullptr;
    const PriceComponent* last_charging = nullptr;
    const PriceComponent* last_parking = nullptr;
    bool parking_billed_last = false;
    bool flat_decided = false;
    SessionCosts costs;
    for (const UsageSlice& s : slices) {
        const SliceClock clock = clock_at(s.start, zone);
        if (!flat_decided) {
            if (const PriceComponent* pc = applicable(tariff, TariffDimension::flat, s, clock, start)) {
                fixed.add(*pc, 1.0);
                flat_decided = true;
            }
        }
        if (s.kwh != 0) {
            if (const PriceComponent* pc = applicable(tariff, TariffDimension::energy, s, clock, start)) {
                energy.add(*pc, s.kwh);
                costs.billed_kwh += s.kwh;
                last_energy = pc;
            }
        }
        if (s.charging_hours > 0) {
            if (const PriceComponent* pc = applicable(tariff, TariffDimension::time, s, clock, start)) {
                charging.add(*pc, s.charging_hours);
                costs.billed_charging_hours += s.charging_hours;
                last_charging = pc;
                parking_billed_last = false;
            }
        }
        if (s.parking_hours > 0) {
            if (const PriceComponent* pc =
                    applicable(tariff, TariffDimension::parking_time, s, clock, start)) {
                parking.add(*pc, s.parking_hours);
                costs.billed_parking_hours += s.parking_hours;
                last_parking = pc;
                parking_billed_last = true;
            }
        }
    }
    if (!flat_decided && slices.empty()) {
        UsageSlice at_start;
        at_start.start = at_start.end = start;
        if (const PriceComponent* pc =
                applicable(tariff, TariffDimension::flat, at_start, clock_at(start, zone), start))
            fixed.add(*pc, 1.0);
    }
    if (last_energy) {
        const double wh = costs.billed_kwh * 1000.0;
        const double extra_kwh = (round_up(wh, last_energy->step_size) - wh) / 1000.0;
        energy.add(*last_energy, extra_kwh);
        costs.billed_kwh += extra_kwh;
    }
    const auto round_time = [](Bill& bill, const PriceComponent& pc, double& hours) {
        const double seconds = hours * 3600.0;
        const double extra_hours = (round_up(seconds, pc.step_size) - seconds) / 3600.0;
        bill.add(pc, extra_hours);
        hours += extra_hours;
    };
    if (parking_billed_last && last_parking)
        round_time(parking, *last_parking, costs.billed_parking_hours);
    else if (last_charging)
        round_time(charging, *last_charging, costs.billed_charging_hours);

    costs.fixed = fixed.price();
    costs.energy = energy.price();
    costs.time = charging.price();
    costs.parking = parking.price();
    Price total{fixed.excl + energy.excl + charging.excl + parking.excl, std::nullopt};
    if (fixed.vat_known && energy.vat_known && charging.vat_known && parking.vat_known)
        total.incl_vat = fixed.incl + energy.incl + charging.incl + parking.incl;
    if (tariff.min_price) {
        total.excl_vat = std::max(total.excl_vat, tariff.min_price->excl_vat);
        if (total.incl_vat && tariff.min_price->incl_vat)
            total.incl_vat = std::max(*total.incl_vat, *tariff.min_price->incl_vat);
    }
    if (tariff.max_price) {
        total.excl_vat = std::min(total.excl_vat, tariff.max_price->excl_vat);
        if (total.incl_vat && tariff.max_price->incl_vat)
            total.incl_vat = std::min(*total.incl_vat, *tariff.max_price->incl_vat);
    }
    costs.total = total;
    return costs;
}

}  // namespace evtwin::ocpi
