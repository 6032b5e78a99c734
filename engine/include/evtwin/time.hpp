#pragma once
// Simulation time: integer milliseconds since the Unix epoch (UTC), in strong types so that a
// duration can never be mistaken for an instant and no double seconds creep into the engine.
#include <compare>
#include <cstdint>
#include <limits>

namespace evtwin {

class Duration {
public:
    constexpr Duration() = default;
    constexpr explicit Duration(std::int64_t ms) : ms_(ms) {}

    static constexpr Duration milliseconds(std::int64_t n) { return Duration(n); }
    static constexpr Duration seconds(std::int64_t n) { return Duration(n * 1000); }
    static constexpr Duration minutes(std::int64_t n) { return Duration(n * 60'000); }
    static constexpr Duration hours(std::int64_t n) { return Duration(n * 3'600'000); }
    static constexpr Duration days(std::int64_t n) { return Duration(n * 86'400'000); }

    constexpr std::int64_t ms() const { return ms_; }
    // For energy arithmetic only: kWh = kW * hours().
    constexpr double hours_f() const { return static_cast<double>(ms_) / 3'600'000.0; }

    constexpr auto operator<=>(const Duration&) const = default;
    constexpr Duration operator+(Duration o) const { return Duration(ms_ + o.ms_); }
    constexpr Duration operator-(Duration o) const { return Duration(ms_ - o.ms_); }
    constexpr Duration operator*(std::int64_t k) const { return Duration(ms_ * k); }
    constexpr std::int64_t operator/(Duration o) const { return ms_ / o.ms_; }
    constexpr Duration operator%(Duration o) const { return Duration(ms_ % o.ms_); }
    constexpr Duration& operator+=(Duration o) {
        ms_ += o.ms_;
        return *this;
    }

private:
    std::int64_t ms_ = 0;
};

class Time {
public:
    constexpr Time() = default;
    constexpr explicit Time(std::int64_t ms_since_epoch) : ms_(ms_since_epoch) {}

    static constexpr Time max() { return Time(std::numeric_limits<std::int64_t>::max()); }
    static constexpr Time min() { return Time(std::numeric_limits<std::int64_t>::min()); }

    constexpr std::int64_t ms() const { return ms_; }

    constexpr auto operator<=>(const Time&) const = default;
    constexpr Time operator+(Duration d) const { return Time(ms_ + d.ms()); }
    constexpr Time operator-(Duration d) const { return Time(ms_ - d.ms()); }
    constexpr Duration operator-(Time o) const { return Duration(ms_ - o.ms_); }
    constexpr Time& operator+=(Duration d) {
        ms_ += d.ms();
        return *this;
    }

private:
    std::int64_t ms_ = 0;
};

// Energy in kWh delivered by a constant power over a duration.
constexpr double energy_kwh(double power_kw, Duration d) {
    return power_kw * d.hours_f();
}

// A civil date-time on a site's clock.
struct LocalDateTime {
    int year = 1970;
    int month = 1;  // 1..12
    int day = 1;    // 1..31
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millisecond = 0;
    int weekday = 4;  // 0 = Sunday .. 6 = Saturday
};

}  // namespace evtwin
