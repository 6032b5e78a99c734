#pragma once
// The instants of the events a user jumps between (arrival, departure, fault, limit violation),
// sorted per kind: next/previous by binary search, and density counts for the scrub bar.
#include <evtwin/time.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace evtwin::viewer {

enum class MarkKind : std::uint8_t { arrival, departure, fault, violation };
inline constexpr std::size_t kMarkKinds = 4;

const char* to_string(MarkKind kind);

class EventMarks {
public:
    // Times may come in any order; the constructor sorts them.
    explicit EventMarks(std::array<std::vector<Time>, kMarkKinds> times);
    EventMarks() = default;

    const std::vector<Time>& times(MarkKind kind) const { return times_[static_cast<std::size_t>(kind)]; }

    // The first mark of `kind` strictly after / before t; empty when there is none.
    std::optional<Time> next(MarkKind kind, Time t) const;
    std::optional<Time> previous(MarkKind kind, Time t) const;

    // Marks of `kind` in [from, to) counted into `buckets` equal spans (the last one takes the
    // rounding remainder). Zero buckets or an empty span give an empty vector.
    std::vector<std::uint32_t> density(MarkKind kind, Time from, Time to, std::size_t buckets) const;
    std::size_t count(MarkKind kind, Time from, Time to) const;

private:
    std::array<std::vector<Time>, kMarkKinds> times_;
};

}  // namespace evtwin::viewer
