// A run's prices as an OCPI tariff: a kWh charged in any minute of the run costs the price the run
// had then, through weekly patterns, a change of season and a holiday.
#include "ocpi/export/grid_tariff.hpp"
#include "ocpi/format/tariff_pricing.hpp"

#include <gtest/gtest.h>

namespace evtwin::ocpi {
namespace {

const TimeZone& seoul() {
    static const TimeZone zone("Asia/Seoul");
    return zone;
}

Time local(int month, int day, int hour) {
    return seoul().to_utc(LocalDateTime{2024, month, day, hour, 0, 0, 0, 0});
}

// Weekdays: 100 at night, 200 from 08:00 to 18:00; weekends 100 all day; from 1 June the day price is
// 300; Wednesday 15 May is a holiday at the weekend's price.
std::vector<PriceRow> seasonal_prices() {
    std::vector<PriceRow> rows;
    for (Time day = local(5, 1, 0); day < local(7, 1, 0); day = day + Duration::days(1)) {
        const LocalDateTime l = seoul().to_local(day);
        const bool weekend = l.weekday == 0 || l.weekday == 6 || (l.month == 5 && l.day == 15);
        rows.push_back({day, 100, 0});
        if (!weekend) {
            rows.push_back({day + Duration::hours(8), l.month >= 6 ? 300.0 : 200.0, 0});
            rows.push_back({day + Duration::hours(18), 100, 0});
        }
    }
    return rows;
}

TEST(OcpiGridTariff, EveryMinuteCostsTheRunsPrice) {
    const auto rows = seasonal_prices();
    const Tariff t = tariff_from_prices(rows, local(5, 1, 0), local(7, 1, 0), seoul(),
                                        {"KR", "EVT", "run-1", "KRW", 10.0, local(5, 1, 0)});
    EXPECT_LT(t.elements.size(), 30u);
    std::size_t row = 0;
    for (Time m = local(5, 1, 0); m < local(7, 1, 0); m = m + Duration::minutes(7)) {
        while (row + 1 < rows.size() && rows[row + 1].t <= m) ++row;
        const ChargingPeriod one_kwh{m, {{"ENERGY", 1.0}, {"TIME", 1.0 / 60}}, ""};
        const SessionCosts c = price_session(t, {one_kwh}, m, m + Duration::minutes(1), seoul());
        ASSERT_DOUBLE_EQ(c.total.excl_vat, rows[row].import_price) << format_utc(m);
        ASSERT_DOUBLE_EQ(*c.total.incl_vat, rows[row].import_price * 1.1) << format_utc(m);
    }
}

TEST(OcpiGridTariff, AFlatPriceIsOneElementWithoutRestrictions) {
    const Tariff t = tariff_from_prices({{local(5, 1, 0), 150, 0}}, local(5, 1, 0), local(6, 1, 0), seoul(),
                                        {"KR", "EVT", "flat", "KRW", std::nullopt, local(5, 1, 0)});
    ASSERT_EQ(t.elements.size(), 1u);
    EXPECT_FALSE(t.elements[0].restrictions);
    EXPECT_EQ(t.elements[0].price_components.at(0).price, 150);
}

}  // namespace
}  // namespace evtwin::ocpi
