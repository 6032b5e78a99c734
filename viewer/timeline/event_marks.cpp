#include "viewer/timeline/event_marks.hpp"

#include <algorithm>

namespace evtwin::viewer {

const char* to_string(MarkKind kind) {
    switch (kind) {
        case MarkKind::arrival:
            return "arrival";
        case MarkKind::departure:
            return "departure";
        case MarkKind::fault:
            return "fault";
        case MarkKind::violation:
            return "limit violation";
    }
    return "?";
}

EventMarks::EventMarks(std::array<std::vector<Time>, kMarkKinds> times) : times_(std::move(times)) {
    for (auto& v : times_) std::sort(v.begin(), v.end());
}

std::optional<Time> EventMarks::next(MarkKind kind, Time t) const {
    const auto& v = times(kind);
    const auto it = std::upper_bound(v.begin(), v.end(), t);
    if (it == v.end()) return std::nullopt;
    return *it;
}

std::optional<Time> EventMarks::previous(MarkKind kind, Time t) const {
    const auto& v = times(kind);
    const auto it = std::lower_bound(v.begin(), v.end(), t);
    if (it == v.begin()) return std::nullopt;
    return *std::prev(it);
}

std::size_t EventMarks::count(MarkKind kind, Time from, Time to) const {
    const auto& v = times(kind);
    if (to <= from) return 0;
    return static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), to) -
                                    std::lower_bound(v.begin(), v.end(), from));
}

std::vector<std::uint32_t> EventMarks::density(MarkKind kind, Time from, Time to, std::size_t buckets) const {
    if (buckets == 0 || to <= from) return {};
    std::vector<std::uint32_t> out(buckets, 0);
    const auto& v = times(kind);
    const std::int64_t span = (to - from).ms();
    const auto width = std::max<std::int64_t>(1, span / static_cast<std::int64_t>(buckets));
    for (auto it = std::lower_bound(v.begin(), v.end(), from); it != v.end() && *it < to; ++it) {
        const auto b = static_cast<std::size_t>((*it - from).ms() / width);
        ++out[std::min(b, buckets - 1)];
    }
    return out;
}

}  // namespace evtwin::viewer
