#pragma once
// The ElaadNL statistics (../shared/data/arrivals/elaadnl_*.csv) as tables the generator samples.
#include <evtwin/errors.hpp>
#include "util/rng.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace evtwin {

// A day cut into equal slots of `slot_minutes` (local clock time), one value per slot.
struct SlotTable {
    int slot_minutes = 15;
    std::vector<double> values;

    std::size_t slot_of(int minute_of_day) const {
        return static_cast<std::size_t>(minute_of_day / slot_minutes);
    }
    double at_minute(int minute_of_day) const { return values[slot_of(minute_of_day)]; }
};

// Reads a table whose first column is a clock time "HH:MM" and takes `column`. The slot length is the
// largest one that all times fall on (gcd of the minutes and 1440). Rows may come in any order; a
// missing row or an empty cell is interpolated linearly from the nearest known slots before and after
// it, around midnight (the day is a circle: the ElaadNL "work" columns are empty from 19:00 to 04:30,
// and are filled between 18:30 and 05:00). Throws DataError on a bad time, a duplicate slot, a
// negative value or a column with no value at all.
SlotTable read_slot_table(const std::filesystem::path& file, const std::string& column);

// A distribution given by its quantiles: the ElaadNL "distribution-of-..." files list, for
// p = 0..100 "percentage of charging events", the value that p % of the events exceed (so the first
// row is the maximum: 72 h for every connection-time column, the data's cap, and the last row 0).
// Draws by inverse transform, linear between the listed points, scaled to mean 1 (the shape).
class QuantileShape {
public:
    static QuantileShape read(const std::filesystem::path& file, const std::string& column);

    double mean() const { return mean_; }  // of the unscaled values
    double max_factor() const { return values_.empty() ? 0.0 : values_.front() / mean_; }
    // A draw of value / mean; its expectation is 1.
    double draw(Rng& rng) const;

private:
    std::vector<double> exceed_;  // p in [0, 1], increasing
    std::vector<double> values_;  // non-increasing
    double mean_ = 1.0;
};

struct ElaadnlTables {
    SlotTable arrival_weekday;  // shares, normalised to sum 1
    SlotTable arrival_weekend;
    SlotTable mean_energy_kwh;  // per arrival slot
    SlotTable mean_stay_h;
    QuantileShape energy;
    QuantileShape stay;
};

// site_type: private | public | workplace (the mean tables call them home | public | work). The
// weekend file has no workplace column: workplaces use the public weekend shape (daytime arrivals
// by visitors and staff on duty, rather than the evening peak of home charging).
ElaadnlTables load_elaadnl_tables(const std::filesystem::path& data_dir, const std::string& site_type);

}  // namespace evtwin
