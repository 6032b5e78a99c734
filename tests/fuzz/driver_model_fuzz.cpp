// libFuzzer target of the driver model file (engine/drivers/model.cpp): any bytes are read as a
// model, and a model read predicts a driver's week. Properties: a refusal is a DataError; a model
// read gives every slot a probability in [0, 1] and an energy that is finite and >= 0. A crash, a
// sanitizer report or a hang is a bug. Built with -DEVTWIN_FUZZ=ON and clang.
#include <evtwin/errors.hpp>
#include "drivers/model.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

[[noreturn]] void bug(const char* what, double value) {
    std::fprintf(stderr, "driver_model_fuzz: %s: %g\n", what, value);
    std::abort();
}

// A driver with a few weeks of sessions, and its view at a Monday.
const evtwin::drivers::DriverView& a_view() {
    using namespace evtwin::drivers;
    static const Driver driver = [] {
        Driver d{"fuzz", {}};
        const LocalMs monday = week_start(2700);
        for (int w = 0; w < 5; ++w)
            d.sessions.push_back(
                {monday + w * kWeekMs + 32 * kHourMs, monday + w * kWeekMs + 34 * kHourMs, 9.0 + w});
        return d;
    }();
    static DriverView view;
    static const bool made = driver_view(driver, week_start(2706), view);
    (void)made;
    return view;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace evtwin::drivers;
    try {
        const DriverModel model =
            parse_model(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
        const DriverView& view = a_view();
        DriverPrediction p;
        model.predict(view, population_view({view}), p);
        for (const double q : p.probability)
            if (!(q >= 0.0 && q <= 1.0)) bug("a probability outside [0, 1]", q);
        if (!std::isfinite(p.next_kwh) || p.next_kwh < 0.0)
            bug("an energy not finite or negative", p.next_kwh);
    } catch (const evtwin::DataError&) {
    }
    return 0;
}
