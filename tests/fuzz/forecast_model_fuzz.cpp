// libFuzzer target of the learned forecasters' model file header (plugins/forecast/learned/
// model_file.cpp), what the lstm and tft plugins read before they hand the weights to LibTorch: any
// bytes are read as a model file, and a header read is compared with the layout this version
// builds. Properties: a refusal is a ModelFileError; a header read has a scale per channel and
// windows within what the reader promises (a lookback of at most 366 days, a horizon of at most 31).
// A crash, a sanitizer report or a hang is a bug. Built with -DEVTWIN_FUZZ=ON and clang.
#include "plugins/forecast/learned/model_file.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

[[noreturn]] void bug(const char* what, double value) {
    std::fprintf(stderr, "forecast_model_fuzz: %s: %g\n", what, value);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace evtwin;
    using namespace evtwin::forecast_learned;
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    try {
        const ModelFile file = parse_model_file(in, "fuzz.pt");
        const FeatureLayout& l = file.header.layout;
        if (file.header.scaling.channel.size() != l.channels())
            bug("scales for another number of channels",
                static_cast<double>(file.header.scaling.channel.size()));
        const double days = static_cast<double>(l.step.ms()) / static_cast<double>(Duration::days(1).ms());
        if (static_cast<double>(l.lookback_steps) * days > 366.0)
            bug("a lookback longer than 366 days", static_cast<double>(l.lookback_steps) * days);
        if (static_cast<double>(l.horizon_steps) * days > 31.0)
            bug("a horizon longer than 31 days", static_cast<double>(l.horizon_steps) * days);
        try {
            const FeatureLayout built =
                make_layout(l.target, l.step, l.history_steps, l.horizon_steps, l.lookback_steps);
            (void)layout_difference(l, built, "fuzz.pt");
        } catch (const std::invalid_argument&) {  // windows this version does not build: refused at use
        }
    } catch (const ModelFileError&) {
    }
    return 0;
}
