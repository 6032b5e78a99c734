#pragma once
// A piecewise-constant series: value v[i] holds on [t[i], t[i+1]); before t[0] it is `before`, after
// the last point the last value holds. Used for PV and load profiles and price series.
#include <evtwin/time.hpp>

#include <algorithm>
#include <vector>

namespace evtwin {

struct StepSeries {
    std::vector<Time> t;    // strictly increasing
    std::vector<double> v;  // same size as t
    double before = 0.0;

    bool empty() const { return t.empty(); }

    double value_at(Time at) const {
        auto it = std::upper_bound(t.begin(), t.end(), at);
        if (it == t.begin()) return before;
        return v[static_cast<std::size_t>(it - t.begin()) - 1];
    }

    // First instant strictly after `at` where the value may change; Time::max() when none.
    Time next_change_after(Time at) const {
        auto it = std::upper_bound(t.begin(), t.end(), at);
        return it == t.end() ? Time::max() : *it;
    }

    // The mean value over [from, from + span).
    double average(Time from, Duration span) const {
        const Time to = from + span;
        double sum = 0.0;
        for (Time at = from; at < to;) {
            const Time next = std::min(to, next_change_after(at));
            sum += value_at(at) * static_cast<double>((next - at).ms());
            at = next;
        }
        return sum / static_cast<double>(span.ms());
    }

    void push(Time at, double value) {
        t.push_back(at);
        v.push_back(value);
    }
};

}  // namespace evtwin
