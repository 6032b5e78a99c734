#include "model/tou_tariff.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace evtwin {
namespace {

int date_key(const LocalDateTime& l) {
    return l.year * 10000 + l.month * 100 + l.day;
}

LocalDateTime local_date(int yyyymmdd) {
    LocalDateTime l;
    l.year = yyyymmdd / 10000;
    l.month = yyyymmdd / 100 % 100;
    l.day = yyyymmdd % 100;
    return l;
}

bool in_month_day_range(int md, int from, int to) {
    return from <= to ? (md >= from && md <= to) : (md >= from || md <= to);
}

// Next price changes are searched over at most this many schedule boundaries (a few weeks of a
// typical table); past that, the boundary found is returned as a point where the price may change.
constexpr int kMaxHops = 128;

}  // namespace

TouTariff::TouTariff(TouTable table) : table_(std::move(table)), zone_(table_.timezone) {
    if (!divides_an_hour(table_.demand_interval))
        throw std::invalid_argument("tariff '" + table_.name + "': the demand interval must divide an hour");
    if (table_.rules.empty()) throw std::invalid_argument("tariff '" + table_.name + "': no rules");
    double first_price = NAN;
    constant_ = true;
    for (const auto& s : table_.schedules) {
        if (s.start_minute.empty() || s.start_minute.size() != s.price.size() || s.start_minute[0] != 0)
            throw std::invalid_argument("tariff '" + table_.name +
                                        "': a day schedule must start at minute 0");
        for (std::size_t i = 0; i < s.start_minute.size(); ++i) {
            if (i > 0 && s.start_minute[i] <= s.start_minute[i - 1])
                throw std::invalid_argument("tariff '" + table_.name + "': schedule minutes must increase");
            if (s.start_minute[i] >= 1440)
                throw std::invalid_argument("tariff '" + table_.name + "': schedule minute past midnight");
            if (!std::isfinite(s.price[i]))
                throw std::invalid_argument("tariff '" + table_.name + "': price not finite");
            if (std::isnan(first_price)) first_price = s.price[i];
            if (s.price[i] != first_price) constant_ = false;
        }
    }
    int from = 99'999'999;
    int to = 0;
    for (const auto& r : table_.rules) {
        if (r.schedule >= table_.schedules.size())
            throw std::invalid_argument("tariff '" + table_.name + "': rule refers to a missing schedule");
        from = std::min(from, r.from_date);
        to = std::max(to, r.to_date);
    }
    std::sort(table_.holidays.begin(), table_.holidays.end());
    std::sort(table_.recurring_holidays.begin(), table_.recurring_holidays.end());
    coverage_.start = from == 0 ? Time::min() : zone_.to_utc(local_date(from));
    coverage_.end = to >= 99'999'999 ? Time::max() : zone_.to_utc(local_date(to));
}

bool TouTariff::is_holiday(const LocalDateTime& l) const {
    return std::binary_search(table_.holidays.begin(), table_.holidays.end(), date_key(l)) ||
           std::binary_search(table_.recurring_holidays.begin(), table_.recurring_holidays.end(),
                              l.month * 100 + l.day);
}

const TouRule& TouTariff::rule_for(const LocalDateTime& l) const {
    const int date = date_key(l);
    const int md = l.month * 100 + l.day;
    const std::uint8_t bit = is_holiday(l) ? kHolidayBit : static_cast<std::uint8_t>(1u << l.weekday);
    for (const auto& r : table_.rules) {
        if (date >= r.from_date && date < r.to_date && (r.days & bit) != 0 &&
            in_month_day_range(md, r.from_month_day, r.to_month_day))
            return r;
    }
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", l.year, l.month, l.day);
    throw std::out_of_range("tariff '" + table_.name + "' has no prices for the local date " + buf);
}

double TouTariff::price_at(const LocalDateTime& l) const {
    const DaySchedule& s = table_.schedules[rule_for(l).schedule];
    const int minute = l.hour * 60 + l.minute;
    const auto it = std::upper_bound(s.start_minute.begin(), s.start_minute.end(), minute);
    return s.price[static_cast<std::size_t>(it - s.start_minute.begin()) - 1];
}

double TouTariff::import_price(Time t) const {
    return price_at(zone_.to_local(t));
}

double TouTariff::export_price(Time t) const {
    return table_.export_pricing.price(import_price(t));
}

Time TouTariff::next_boundary(Time t) const {
    const LocalDateTime l = zone_.to_local(t);
    const DaySchedule& s = table_.schedules[rule_for(l).schedule];
    const int minute = l.hour * 60 + l.minute;
    const auto it = std::upper_bound(s.start_minute.begin(), s.start_minute.end(), minute);
    const int target_minute = it == s.start_minute.end() ? 1440 : *it;
    LocalDateTime target = l;
    target.hour = target_minute / 60;  // 24 carries over to the next day
    target.minute = target_minute % 60;
    target.second = target.millisecond = 0;
    Time c = zone_.to_utc(target);
    if (c <= t) {
        // t lies in the hour repeated when clocks fall back, and the target wall time was first
        // reached before t: the second time round it comes after the same wall-clock distance.
        const std::int64_t wall_now = ((l.hour * 60LL + l.minute) * 60 + l.second) * 1000 + l.millisecond;
        c = t + Duration(target_minute * 60'000LL - wall_now);
    }
    // When the clocks change on the way, the wall clock may jump back over a boundary: stop at the
    // change (found by bisection; it happens twice a year) and let the caller compare prices there.
    const Duration offset = zone_.utc_offset(t);
    if (zone_.utc_offset(c) == offset) return c;
    Time lo = t;  // offset(lo) == offset
    Time hi = c;  // offset(hi) != offset
    while (hi - lo > Duration(1)) {
        const Time mid = lo + Duration((hi - lo).ms() / 2);
        (zone_.utc_offset(mid) == offset ? lo : hi) = mid;
    }
    return hi;
}

Time TouTariff::next_change(Time t) const {
    if (constant_ || t == Time::max()) return Time::max();
    const double p0 = import_price(t);
    Time c = t;
    for (int hop = 0; hop < kMaxHops; ++hop) {
        c = next_boundary(c);
        if (c >= coverage_.end) return coverage_.end;
        if (import_price(c) != p0) return c;
    }
    return c;
}

double TouTariff::demand_charge_per_kw(Time t) const {
    return rule_for(zone_.to_local(t)).demand_charge_per_kw;
}

BillingPeriod TouTariff::billing_period(Time t) const {
    const TimeRange month = zone_.local_month(t);
    return {month.start, month.end};
}

}  // namespace evtwin
