#include "ocpi/export/grid_tariff.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

namespace evtwin::ocpi {

namespace {

constexpr int kMinutesPerDay = 1440;

struct PriceStretch {
    int from = 0;  // minute of the day
    int to = 0;    // exclusive; 1440 = midnight
    double price = 0.0;
    bool operator==(const PriceStretch&) const = default;
};

// A day's prices, minute by minute, as stretches of one price.
std::vector<PriceStretch> stretches(const std::vector<double>& minutes) {
    std::vector<PriceStretch> list;
    for (int m = 0; m < static_cast<int>(minutes.size()); ++m) {
        if (!list.empty() && list.back().price == minutes[m] && list.back().to == m)
            list.back().to = m + 1;
        else
            list.push_back({m, m + 1, minutes[m]});
    }
    return list;
}

std::string date_text(const LocalDateTime& l) {
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d-%02d", l.year, l.month, l.day);
    return text;
}

TariffElement energy_element(double price, const TariffIdentity& id, std::optional<TariffRestrictions> r) {
    TariffElement e;
    e.price_components.push_back({TariffDimension::energy, price, id.vat_percent, 1});
    e.restrictions = std::move(r);
    return e;
}

// "2024-07-01" as 20240701.
int date_number(const std::string& date) {
    return std::stoi(date.substr(0, 4)) * 10000 + std::stoi(date.substr(5, 2)) * 100 +
           std::stoi(date.substr(8, 2));
}

struct LocalDay {
    std::vector<double> price;  // by minute of the day
    std::vector<char> known;    // the run has that minute
    int weekday = 0;
};

// A day's prices, a minute the run lacks taking the price before it (the first known one at the
// day's start).
std::vector<double> filled(const LocalDay& day) {
    std::vector<double> minutes = day.price;
    int first = 0;
    while (first < kMinutesPerDay && !day.known[first]) ++first;
    for (int m = 0; m < kMinutesPerDay; ++m) {
        if (day.known[m]) continue;
        minutes[m] = m < first ? (first < kMinutesPerDay ? day.price[first] : 0.0) : minutes[m - 1];
    }
    return minutes;
}

// Two days agree where both know a minute's price.
bool agree(const LocalDay& a, const LocalDay& b) {
    for (int m = 0; m < kMinutesPerDay; ++m)
        if (a.known[m] && b.known[m] && a.price[m] != b.price[m]) return false;
    return true;
}

void merge_into(LocalDay& into, const LocalDay& day) {
    if (into.price.empty()) {
        into = day;
        return;
    }
    for (int m = 0; m < kMinutesPerDay; ++m) {
        if (!day.known[m]) continue;
        into.price[m] = day.price[m];
        into.known[m] = 1;
    }
}

// The days merged by key (the same prices at the minutes each knows), or none when two disagree.
template <class Key>
std::optional<std::map<int, std::vector<double>>> merge_days(const std::map<std::string, LocalDay>& days,
                                                             Key key) {
    std::map<int, LocalDay> merged;
    for (const auto& [date, day] : days) {
        LocalDay& into = merged[key(day)];
        if (!into.price.empty() && !agree(into, day)) return std::nullopt;
        merge_into(into, day);
    }
    std::map<int, std::vector<double>> result;
    for (const auto& [k, day] : merged) result[k] = filled(day);
    return result;
}

TariffRestrictions day_window(const PriceStretch& s) {
    TariffRestrictions r;  // whole days: no time of day
    if (s.from != 0 || s.to != kMinutesPerDay) {
        r.start_minute = s.from;
        r.end_minute = s.to % kMinutesPerDay;
    }
    return r;
}

}  // namespace

Tariff tariff_from_prices(const std::vector<PriceRow>& prices, Time start, Time end, const TimeZone& zone,
                          const TariffIdentity& identity) {
    Tariff t;
    t.country_code = identity.country_code;
    t.party_id = identity.party_id;
    t.id = identity.id;
    t.currency = identity.currency;
    t.type = "REGULAR";
    t.last_updated = identity.last_updated;
    if (prices.empty() || end <= start) {
        t.elements.push_back(energy_element(0.0, identity, std::nullopt));
        return t;
    }
    // The local days of the run, each its prices minute by minute where the run has them.
    std::map<std::string, LocalDay> days;
    std::size_t row = 0;
    const Time first = Time(start.ms() - ((start.ms() % 60'000) + 60'000) % 60'000);
    for (Time x = first; x < end; x += Duration::minutes(1)) {
        while (row + 1 < prices.size() && prices[row + 1].t <= x) ++row;
        const LocalDateTime local = zone.to_local(x);
        LocalDay& day = days[date_text(local)];
        if (day.price.empty()) {
            day.price.assign(kMinutesPerDay, 0.0);
            day.known.assign(kMinutesPerDay, 0);
            day.weekday = local.weekday;
        }
        day.price[local.hour * 60 + local.minute] = prices[row].import_price;
        day.known[local.hour * 60 + local.minute] = 1;
    }
    // Seasons: runs of consecutive dates whose prices repeat week by week. A date that breaks the
    // week (a holiday, a new season's prices) starts the next season.
    std::vector<std::map<std::string, LocalDay>> seasons;
    std::map<int, LocalDay> week;
    for (const auto& [date, day] : days) {
        const auto same = week.find(day.weekday);
        if (seasons.empty() || (same != week.end() && !agree(same->second, day))) {
            seasons.emplace_back();
            week.clear();
        }
        seasons.back().emplace(date, day);
        merge_into(week[day.weekday], day);
    }
    for (std::size_t k = 0; k < seasons.size(); ++k) {
        const auto& season = seasons[k];
        std::vector<TariffElement> elements;
        if (const auto daily = merge_days(season, [](const LocalDay&) { return 0; })) {
            for (const PriceStretch& s : stretches(daily->begin()->second))
                elements.push_back(energy_element(s.price, identity, day_window(s)));
        } else {
            // Days with the same prices share their elements.
            std::vector<std::pair<std::vector<double>, std::vector<int>>> groups;
            const auto weekly = merge_days(season, [](const LocalDay& d) { return d.weekday; });
            for (const auto& [weekday, minutes] : *weekly) {
                const auto same =
                    std::find_if(groups.begin(), groups.end(),
                                 [&prices = minutes](const auto& g) { return g.first == prices; });
                if (same != groups.end())
                    same->second.push_back(weekday);
                else
                    groups.push_back({minutes, {weekday}});
            }
            for (const auto& [minutes, weekdays] : groups) {
                for (const PriceStretch& s : stretches(minutes)) {
                    TariffRestrictions r = day_window(s);
                    r.day_of_week = weekdays;
                    elements.push_back(energy_element(s.price, identity, r));
                }
            }
        }
        for (TariffElement& e : elements) {
            TariffRestrictions& r = *e.restrictions;
            if (k > 0) r.start_date = date_number(season.begin()->first);
            if (k + 1 < seasons.size()) r.end_date = date_number(seasons[k + 1].begin()->first);
            const bool none =
                !r.start_minute && !r.end_minute && !r.start_date && !r.end_date && r.day_of_week.empty();
            if (none) e.restrictions.reset();
            t.elements.push_back(std::move(e));
        }
    }
    return t;
}

}  // namespace evtwin::ocpi
