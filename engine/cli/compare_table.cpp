#include "cli/compare_table.hpp"

#include "kpi/cost_gap.hpp"
#include "sweep/report.hpp"  // kpi_stats

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace evtwin::cli {

namespace {

// Characters on screen: UTF-8 continuation bytes take no column ('±' is two bytes).
std::size_t display_width(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

std::string pad_left(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

std::string number(double v, int decimals, bool sign = false) {
    if (std::isnan(v)) return "n/a";
    if (std::isinf(v)) return v > 0 ? (sign ? "+inf" : "inf") : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, v);
    // Zero after rounding prints without a sign.
    const char* digits = buf + ((buf[0] == '-' || buf[0] == '+') ? 1 : 0);
    if (std::strspn(digits, "0.") == std::strlen(digits)) return digits;
    return buf;
}

struct Column {
    std::string name;
    std::string unit;
    bool reproducible = true;
    int decimals = 2;
    std::vector<SeedStats> stats;  // per row (indices into rows)
    std::vector<std::string> mean_text, std_text, diff_text;
    std::size_t mean_w = 0, std_w = 0, width = 0;
};

int decimals_for(const std::string& unit, const std::vector<SeedStats>& stats) {
    double max_abs = 0.0;
    bool integral = true;
    for (const auto& s : stats) {
        if (std::isnan(s.mean)) continue;
        max_abs = std::max(max_abs, std::fabs(s.mean));
        integral = integral && s.mean == std::floor(s.mean) && (std::isnan(s.std) || s.std == 0.0);
    }
    if (unit == "count") return integral ? 0 : 1;
    if (unit == "%") return 1;
    int decimals =
        unit == "cycles" || unit == "ms" ? 3 : (max_abs >= 10000.0 ? 0 : 2);  // large sums: no cents
    // Small values keep three significant digits (decision times are fractions of a millisecond).
    if (max_abs > 0.0 && max_abs < 1.0)
        decimals = std::max(decimals, std::min(6, 2 - static_cast<int>(std::floor(std::log10(max_abs)))));
    return decimals;
}

std::string difference(double value, double reference, int decimals) {
    if (std::isnan(value) || std::isnan(reference)) return "n/a";
    const double d = value - reference;
    std::string out = number(d, decimals, true);
    if (reference != 0.0)
        out += " (" + number(100.0 * d / std::fabs(reference), 1, true) + " %)";
    else if (d == 0.0)
        out += " (0.0 %)";
    return out;
}

}  // namespace

SeedStats seed_stats(const std::vector<double>& values) {
    const sweep::KpiStats k = sweep::kpi_stats(values);
    return {k.mean, k.sd, k.n};
}

std::vector<double> kpi_values(const StrategyRuns& s, const std::string& name) {
    std::vector<double> values;
    for (const auto& run : s.runs) {
        double v = std::numeric_limits<double>::quiet_NaN();
        for (const auto& k : run)
            if (k.name == name) v = k.value;
        values.push_back(v);
    }
    return values;
}

void add_cost_gap(std::vector<StrategyRuns>& rows, std::size_t reference_row, const std::string& name,
                  const std::string& pct_name) {
    const std::vector<std::vector<Kpi>> reference = rows.at(reference_row).runs;
    std::string currency;
    for (const auto& run : reference)
        for (const auto& k : run)
            if (k.name == "energy_cost") currency = k.unit;
    for (auto& row : rows)
        for (std::size_t i = 0; i < row.runs.size(); ++i) {
            const CostGap gap =
                i < reference.size() ? cost_gap(row.runs[i], reference[i]) : CostGap{NAN, NAN};
            row.runs[i].push_back(Kpi{name, gap.absolute, currency});
            row.runs[i].push_back(Kpi{pct_name, gap.percent, "%"});
        }
}

std::vector<std::size_t> sorted_rows(const std::vector<StrategyRuns>& rows, const std::string& sort_kpi,
                                     bool descending) {
    std::vector<double> key;
    for (const auto& r : rows) key.push_back(seed_stats(kpi_values(r, sort_kpi)).mean);
    std::vector<std::size_t> order(rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (std::isnan(key[a]) || std::isnan(key[b])) return !std::isnan(key[a]) && std::isnan(key[b]);
        return descending ? key[a] > key[b] : key[a] < key[b];
    });
    return order;
}

std::string format_compare_table(const std::vector<StrategyRuns>& rows, const CompareTableSpec& spec) {
    std::vector<Column> columns;
    bool any_timing = false;
    for (const auto& name : spec.kpis) {
        Column c;
        c.name = name;
        for (const auto& r : rows) {
            for (const auto& run : r.runs)
                for (const auto& k : run)
                    if (k.name == name) {
                        c.unit = k.unit;
                        c.reproducible = k.reproducible;
                    }
            c.stats.push_back(seed_stats(kpi_values(r, name)));
        }
        c.decimals = decimals_for(c.unit, c.stats);
        if (!c.reproducible) c.unit += "*";
        any_timing = any_timing || !c.reproducible;
        const double reference = c.stats.at(spec.reference).mean;
        for (const auto& s : c.stats) {
            c.mean_text.push_back(number(s.mean, c.decimals));
            c.std_text.push_back(std::isnan(s.std) ? "" : number(s.std, c.decimals));
            c.diff_text.push_back(difference(s.mean, reference, c.decimals));
            c.mean_w = std::max(c.mean_w, display_width(c.mean_text.back()));
            c.std_w = std::max(c.std_w, display_width(c.std_text.back()));
        }
        c.width =
            std::max({display_width(c.name), display_width(c.unit), c.mean_w + (c.std_w ? 3 + c.std_w : 0)});
        for (const auto& d : c.diff_text) c.width = std::max(c.width, display_width(d));
        columns.push_back(std::move(c));
    }

    const std::string diff_label = "  diff";
    std::size_t label_w = std::max(display_width("strategy"), display_width(diff_label));
    for (const auto& r : rows) label_w = std::max(label_w, display_width(r.label));

    auto cell = [](const Column& c, std::size_t row) {
        std::string text = pad_left(c.mean_text[row], c.mean_w);
        if (c.std_w)
            text += c.std_text[row].empty() ? std::string(3 + c.std_w, ' ')
                                            : " ± " + pad_left(c.std_text[row], c.std_w);
        return pad_left(text, c.width);
    };
    auto line = [](std::string l) {
        while (!l.empty() && l.back() == ' ') l.pop_back();
        return l + "\n";
    };

    std::string out;
    std::size_t first = 0;
    while (first < columns.size() || (columns.empty() && first == 0)) {
        std::size_t last = first, used = label_w;
        while (last < columns.size() &&
               (last == first || spec.width == 0 || used + 2 + columns[last].width <= spec.width))
            used += 2 + columns[last++].width;
        std::string names = pad_right("strategy", label_w), units(label_w, ' '), rule(label_w, '-');
        for (std::size_t c = first; c < last; ++c) {
            names += "  " + pad_left(columns[c].name, columns[c].width);
            units += "  " + pad_left(columns[c].unit, columns[c].width);
            rule += "  " + std::string(columns[c].width, '-');
        }
        if (!out.empty()) out += "\n";
        out += line(names) + line(units) + line(rule);
        for (std::size_t row : spec.order) {
            std::string values = pad_right(rows[row].label, label_w), diffs = pad_right(diff_label, label_w);
            for (std::size_t c = first; c < last; ++c) {
                values += "  " + cell(columns[c], row);
                diffs += "  " + pad_left(columns[c].diff_text[row], columns[c].width);
            }
            out += line(values) + line(diffs);
        }
        if (columns.empty()) break;
        first = last;
    }
    if (any_timing)
        out += "* wall-clock measurement: differs between runs, not part of the reproducible results\n";
    return out;
}

}  // namespace evtwin::cli
