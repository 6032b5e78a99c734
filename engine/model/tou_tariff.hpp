#pragma once
// A time-of-use tariff: day schedules of prices by local time, chosen per local date by rules
// (effective dates, season as a month-day range, day of week or public holiday). The loaders in
// engine/data turn evtwin's tariff JSON and acnportal's schema into a TouTable.
#include "model/export_pricing.hpp"
#include "model/local_time.hpp"
#include "model/tariff.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace evtwin {

// Prices over one local day: price[i] holds from start_minute[i] to the next start (or midnight).
struct DaySchedule {
    std::vector<int> start_minute;  // first is 0, strictly increasing, < 1440
    std::vector<double> price;      // per kWh imported
};

// Day bits of a rule: bit d = weekday d (0 = Sunday .. 6 = Saturday); a public holiday matches
// kHolidayBit only, whatever its weekday.
inline constexpr std::uint8_t kHolidayBit = 0x80;
inline constexpr std::uint8_t kAllWeekdays = 0x7f;

// Which schedule applies on a local date. Dates are yyyymmdd, month-days mmdd.
struct TouRule {
    int from_date = 0;         // inclusive; 0: since ever
    int to_date = 99'999'999;  // exclusive
    int from_month_day = 101;  // inclusive; the range wraps the year when from > to
    int to_month_day = 1231;   // inclusive
    std::uint8_t days = kAllWeekdays;
    std::size_t schedule = 0;           // index into TouTable::schedules
    double demand_charge_per_kw = 0.0;  // per billing month
};

struct TouTable {
    std::string name;
    std::string currency;
    std::string timezone = "UTC";
    std::vector<DaySchedule> schedules;
    std::vector<TouRule> rules;           // the first rule matching a date wins
    std::vector<int> holidays;            // yyyymmdd
    std::vector<int> recurring_holidays;  // mmdd, every year
    Duration demand_interval = Duration::minutes(15);
    ExportPricing export_pricing;
};

class TouTariff final : public Tariff {
public:
    // Throws std::invalid_argument when the table is malformed (schedule shapes, rule indices, zone).
    explicit TouTariff(TouTable table);

    std::string name() const override { return table_.name; }
    std::string currency() const override { return table_.currency; }
    double import_price(Time t) const override;
    double export_price(Time t) const override;
    Time next_change(Time t) const override;
    double demand_charge_per_kw(Time t) const override;
    BillingPeriod billing_period(Time t) const override;
    Duration demand_interval() const override { return table_.demand_interval; }
    BillingPeriod coverage() const override { return coverage_; }

    const TouTable& table() const { return table_; }
    const TimeZone& zone() const { return zone_; }

private:
    // Throws std::out_of_range naming the date when no rule covers it.
    const TouRule& rule_for(const LocalDateTime& local) const;
    double price_at(const LocalDateTime& local) const;
    // The next instant after t where the day schedule may switch segment (or the next midnight).
    Time next_boundary(Time t) const;
    bool is_holiday(const LocalDateTime& local) const;

    TouTable table_;
    TimeZone zone_;
    BillingPeriod coverage_;
    bool constant_ = false;  // one price everywhere: next_change is Time::max()
};

}  // namespace evtwin
