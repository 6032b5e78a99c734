#include "plugins/forecast/learned/model_file.hpp"

#include "plugins/json_support/checked_get.hpp"

#include <unistd.h>
#include <fstream>
#include <iterator>

namespace evtwin::forecast_learned {

namespace {

std::string target_from(ForecastTarget t) {
    return std::string(target_name(t));
}

ForecastTarget target_of(const std::string& name, const std::filesystem::path& file) {
    if (name == "pv") return ForecastTarget::pv;
    if (name == "load") return ForecastTarget::load;
    if (name == "demand") return ForecastTarget::demand;
    throw ModelFileError(file.string() + ": header /target: expected pv, load or demand, got '" + name + "'");
}

std::string join(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ",") + n;
    return s;
}

std::string minutes(Duration d) {
    return std::to_string(d.ms() / 60'000) + " min";
}

}  // namespace

nlohmann::json header_to_json(const ModelHeader& h) {
    const FeatureLayout& l = h.layout;
    return {{"format", 1},
            {"target", target_from(l.target)},
            {"model", h.hyper.kind},
            {"step_min", l.step.ms() / 60'000},
            {"history_steps", l.history_steps},
            {"horizon_steps", l.horizon_steps},
            {"lookback_steps", l.lookback_steps},
            {"channels", l.channels()},
            {"past_features", l.past},
            {"future_features", l.future},
            {"quantiles", {0.1, 0.5, 0.9}},
            {"scaling", {{"channel", h.scaling.channel}, {"price", h.scaling.price}}},
            {"hyper", {{"hidden", h.hyper.hidden}, {"heads", h.hyper.heads}, {"dropout", h.hyper.dropout}}},
            {"training", h.training}};
}

ModelHeader header_from_json(const nlohmann::json& j, const std::filesystem::path& file) {
    ModelHeader h;
    const char* key = "";
    auto get = [&](const nlohmann::json& from, const char* k, auto& v) {
        key = k;
        v = json_support::checked_get<std::decay_t<decltype(v)>>(from.at(k));
    };
    try {
        int format = 0;
        get(j, "format", format);
        if (format != 1)
            throw ModelFileError(file.string() + ": header /format: " + std::to_string(format) +
                                 ", which this evtwin does not read (it reads 1)");
        std::string target;
        get(j, "target", target);
        h.layout.target = target_of(target, file);
        get(j, "model", h.hyper.kind);
        if (h.hyper.kind != "lstm" && h.hyper.kind != "tft")
            throw ModelFileError(file.string() + ": header /model: expected lstm or tft, got '" +
                                 h.hyper.kind + "'");
        std::int64_t step_min = 0;
        get(j, "step_min", step_min);
        // A day is a whole number of steps (features.hpp); a larger number would overflow as a Duration.
        if (step_min <= 0 || step_min > 24 * 60)
            throw ModelFileError(file.string() + ": header /step_min: expected 1 to 1440 minutes");
        h.layout.step = Duration::minutes(step_min);
        get(j, "history_steps", h.layout.history_steps);
        get(j, "horizon_steps", h.layout.horizon_steps);
        key = "lookback_steps";  // files without it were given their history alone
        h.layout.lookback_steps = j.contains("lookback_steps")
                                      ? json_support::checked_get<std::size_t>(j.at("lookback_steps"))
                                      : h.layout.history_steps;
        get(j, "past_features", h.layout.past);
        get(j, "future_features", h.layout.future);
        const auto& scaling = j.at("scaling");
        get(scaling, "channel", h.scaling.channel);
        get(scaling, "price", h.scaling.price);
        const auto& hyper = j.at("hyper");
        get(hyper, "hidden", h.hyper.hidden);
        get(hyper, "heads", h.hyper.heads);
        get(hyper, "dropout", h.hyper.dropout);
        key = "training";
        h.training = j.value("training", nlohmann::json::object());
    } catch (const nlohmann::json::exception&) {
        throw ModelFileError(file.string() + ": header /" + key + ": missing or of the wrong type");
    }
    if (h.scaling.channel.size() != h.layout.channels())
        throw ModelFileError(file.string() + ": header /scaling/channel: expected " +
                             std::to_string(h.layout.channels()) + " scales");
    for (double s : h.scaling.channel)
        if (!(s > 0.0)) throw ModelFileError(file.string() + ": header /scaling: scales must be positive");
    if (!(h.scaling.price > 0.0))
        throw ModelFileError(file.string() + ": header /scaling/price: must be positive");
    if (h.hyper.hidden < 1 || h.hyper.hidden > 1024 || h.hyper.heads < 1 ||
        h.hyper.hidden % h.hyper.heads != 0)
        throw ModelFileError(file.string() + ": header /hyper: hidden (1..1024) must be a multiple of heads");
    if (h.layout.history_steps == 0 || h.layout.horizon_steps == 0)
        throw ModelFileError(file.string() + ": header: history_steps and horizon_steps must be positive");
    if (h.layout.lookback_steps < h.layout.history_steps)
        throw ModelFileError(file.string() + ": header: lookback_steps must be at least history_steps");
    // What `evtwin forecast train` makes: a file asking for more would ask for the memory of it.
    const auto longer_than = [&](std::size_t steps, int days) {
        return static_cast<double>(steps) * static_cast<double>(h.layout.step.ms()) >
               static_cast<double>(Duration::days(days).ms());
    };
    if (longer_than(h.layout.lookback_steps, 366) || longer_than(h.layout.horizon_steps, 31))
        throw ModelFileError(
            file.string() +
            ": header: expected a history and lookback of at most 366 days and a horizon of at "
            "most 31 days");
    return h;
}

void write_model_file(const std::filesystem::path& file, const ModelFile& content) {
    const std::filesystem::path tmp = file.string() + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw ModelFileError(file.string() + ": cannot write (" + tmp.string() + ")");
        out << kModelMagic << '\n' << header_to_json(content.header).dump() << '\n';
        out.write(content.weights.data(), static_cast<std::streamsize>(content.weights.size()));
        out.flush();
        if (!out) throw ModelFileError(file.string() + ": write failed (disk full?)");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw ModelFileError(file.string() + ": cannot replace the file");
    }
}

ModelFile read_model_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ModelFileError(file.string() + ": cannot open the model file");
    return parse_model_file(in, file);
}

ModelFile parse_model_file(std::istream& in, const std::filesystem::path& file) {
    std::string magic;
    std::getline(in, magic);
    if (magic != kModelMagic)
        throw ModelFileError(file.string() + ":1: not an evtwin forecast model (expected the first line '" +
                             kModelMagic + "'; write one with `evtwin forecast train`)");
    std::string line;
    if (!std::getline(in, line)) throw ModelFileError(file.string() + ":2: truncated (no header line)");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
        throw ModelFileError(file.string() + ":2: header is not valid JSON (" + e.what() + ")");
    }
    if (!j.is_object()) throw ModelFileError(file.string() + ":2: header: expected a JSON object");
    ModelFile m;
    m.header = header_from_json(j, file);
    m.weights.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (m.weights.empty()) throw ModelFileError(file.string() + ": truncated (no weights after the header)");
    return m;
}

std::string layout_difference(const FeatureLayout& f, const FeatureLayout& want, const std::string& file) {
    if (f.target != want.target)
        return file + " is a " + target_from(f.target) + " model; this asks for " + target_from(want.target);
    if (f.step != want.step)
        return "step of " + minutes(f.step) + " in " + file + ", " + minutes(want.step) + " asked";
    if (f.history_steps != want.history_steps)
        return "history of " + std::to_string(f.history_steps) + " steps in " + file + ", " +
               std::to_string(want.history_steps) + " asked";
    if (f.horizon_steps != want.horizon_steps)
        return "horizon of " + std::to_string(f.horizon_steps) + " steps in " + file + ", " +
               std::to_string(want.horizon_steps) + " asked";
    if (f.lookback_steps != want.lookback_steps)
        return "lookback of " + std::to_string(f.lookback_steps) + " steps in " + file + ", " +
               std::to_string(want.lookback_steps) + " asked";
    if (f.past != want.past)
        return "past features in " + file + " are [" + join(f.past) + "], this build uses [" +
               join(want.past) + "]";
    if (f.future != want.future)
        return "future features in " + file + " are [" + join(f.future) + "], this build uses [" +
               join(want.future) + "]";
    return "";
}

}  // namespace evtwin::forecast_learned
