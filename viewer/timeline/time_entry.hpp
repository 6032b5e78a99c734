#pragma once
// How the viewer shows and reads times: in the site's time zone (the run's `timezone`, via the
// results reader's RunClock and the OS tz database) or, on request, in UTC.
//
// Shown: "2024-07-01 08:30:15 KST" (milliseconds only when not zero; "UTC" in UTC).
// Typed (the scrub bar's "go to" box, --at), in the shown time zone unless a suffix says otherwise:
//   2024-07-01            midnight of that day
//   2024-07-01T08:30      also with a space instead of T, optional :SS and .mmm
//   08:30 or 08:30:15     that time on the cursor's day
//   +90m, -1h30m, +2d     relative to the cursor (units d, h, m, s, ms; at least one term; a day is 24 h)
// A date-time or clock time may end with Z or UTC (UTC), an offset (+09:00, -0700, +03) or the zone's
// own abbreviation (KST; PDT or PST picks one of the two 01:30s of the night clocks go back).
// A local time in the gap of a spring-forward night is the instant the clocks jump; one that happens
// twice is the earlier, unless its abbreviation says otherwise.
#include <evtwin/time.hpp>

#include "record/reader/run_clock.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace evtwin::viewer {

// The message says what was typed and what was expected.
struct TimeEntryError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

class TimeView {
public:
    // UTC, no zone.
    TimeView() = default;
    // `zone`: the IANA name stored with the run. An empty or unknown name gives UTC, and note() says so.
    explicit TimeView(const std::string& zone);

    bool has_zone() const { return zone_.has_value(); }
    // The run's zone ("Asia/Seoul"); "UTC" when it has none.
    const std::string& zone_name() const { return zone_ ? zone_->name() : utc_name(); }
    // Why times are in UTC although local time was wanted; empty when the zone is known.
    const std::string& note() const { return note_; }

    // Showing (and reading) UTC: asked for, or the run has no usable zone.
    bool utc() const { return utc_ || !zone_; }
    void set_utc(bool on) { utc_ = on; }

    // "2024-07-01 08:30:15 KST" in the shown zone.
    std::string format(Time t) const;
    // The same in the zone not shown (UTC when local time is shown, and the reverse); format() without a
    // zone.
    std::string format_other(Time t) const;
    // What the shown times are in: the zone's name, or "UTC".
    const std::string& label() const { return utc() ? utc_name() : zone_->name(); }

    // Throws TimeEntryError naming the text and what was expected.
    Time parse(std::string_view text, Time cursor) const;

private:
    static const std::string& utc_name();
    std::string format_in(Time t, bool in_utc) const;

    std::optional<RunClock> zone_;
    std::string note_;
    bool utc_ = false;
};

// "3d 04:05:06" / "04:05:06" / "350 ms": a span for labels.
std::string format_duration(Duration d);

}  // namespace evtwin::viewer
