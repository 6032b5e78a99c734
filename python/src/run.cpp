// evtwin._evtwin.run: a scenario run under a plugin or a Python strategy (an object with
// decide(observation) -> setpoints), through the SDK's run_scenario: the same physics, checks and
// violations as any plugin. The GIL is released while the engine runs and taken for each decision.
#include "bindings.hpp"
#include "observation.hpp"

#include <evtwin/run.hpp>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <optional>
#include <string>

namespace evtwin::python {

namespace {

using Options = std::map<std::string, std::string>;

std::string time_text(Time t) {
    return std::to_string(t.ms()) + " ms";
}

// A Python object as a Strategy. decide() returns the connector setpoints (a sequence of kW, one per
// connector), a pair (setpoints, ess_kw) or a triple (setpoints, ess_kw, pv_limit_kw), ess_kw a sequence
// of kW, one per stationary battery (obs.ess). A Python
// exception ends the run; run() raises it again.
class PythonStrategy final : public Strategy {
public:
    explicit PythonStrategy(py::object object) : object_(std::move(object)), decide_(object_.attr("decide")) {
        if (py::hasattr(object_, "foresight_h")) {
            const double hours = object_.attr("foresight_h").cast<double>();
            if (!(hours >= 0.0))
                throw py::value_error("foresight_h must be >= 0 hours (math.inf: the whole run)");
            const double ms = hours * 3.6e6;
            foresight_.horizon = ms >= 9e18 ? Foresight::whole_run() : Duration(std::llround(ms));  // inf too
        }
    }

    void decide(const Observation& obs, Decision& out) override {
        py::gil_scoped_acquire locked;
        py::object view = view_of(obs);
        try {
            read_answer(obs, decide_(view), out);  // the answer may be a view: read before the check
            const std::string kept = expire(view);
            if (!kept.empty()) throw py::value_error(kept_view_message(kept, "the decide() call"));
        } catch (py::error_already_set& e) {
            error_ = std::make_unique<py::error_already_set>(std::move(e));
        } catch (const py::builtin_exception& e) {
            e.set_error();
            error_ = std::make_unique<py::error_already_set>();
        }
        if (error_) {
            expire(view);
            throw std::runtime_error("Python strategy raised an exception at " + time_text(obs.now));
        }
    }

    Foresight foresight() const override { return foresight_; }

    // The Python exception that ended the run, if one did.
    std::unique_ptr<py::error_already_set> error_;

private:
    void read_answer(const Observation& obs, py::handle answer, Decision& out) const {
        py::handle setpoints = answer;
        if (py::isinstance<py::tuple>(answer)) {
            const auto pair = answer.cast<py::tuple>();
            if (pair.size() != 2 && pair.size() != 3)
                fail(obs, "a tuple must be (setpoints, ess_kw) or (setpoints, ess_kw, pv_limit_kw)");
            setpoints = pair[0];
            const auto ess = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(pair[1]);
            if (!ess || ess.ndim() != 1 || static_cast<std::size_t>(ess.size()) != obs.ess.size())
                fail(obs, "ess_kw must be a sequence of " + std::to_string(obs.ess.size()) +
                              " numbers (one per battery in obs.ess)");
            for (std::size_t b = 0; b < obs.ess.size(); ++b) {
                if (!std::isfinite(ess.data()[b]))
                    fail(obs, "ess_kw of battery " + std::to_string(b) + " is not finite");
                out.ess_kw[b] = ess.data()[b];
            }
            if (pair.size() == 3) {
                out.pv_limit_kw = pair[2].cast<double>();
                if (!(out.pv_limit_kw >= 0.0)) fail(obs, "pv_limit_kw must be >= 0 (math.inf: no limit)");
            }
        }
        const auto kw = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(setpoints);
        if (!kw) fail(obs, "setpoints must be numbers, one per connector");
        if (static_cast<std::size_t>(kw.size()) != out.connector_kw.size())
            fail(obs, "expected " + std::to_string(out.connector_kw.size()) +
                          " setpoints (one per connector), got " + std::to_string(kw.size()));
        const double* values = kw.data();
        for (std::size_t c = 0; c < out.connector_kw.size(); ++c) {
            if (!std::isfinite(values[c]))
                fail(obs, "setpoint of connector " + std::to_string(c) + " is not finite");
            out.connector_kw[c] = values[c];
        }
    }

    [[noreturn]] static void fail(const Observation& obs, const std::string& what) {
        throw py::value_error("decide() at " + time_text(obs.now) + ": " + what);
    }

    py::object object_;
    py::object decide_;
    Foresight foresight_;
};

std::string name_of(py::handle strategy) {
    if (py::hasattr(strategy, "name")) return py::str(strategy.attr("name"));
    return py::str(py::type::of(strategy).attr("__name__"));
}

py::dict outcome_dict(const RunOutcome& o) {
    py::list kpis;
    for (const Kpi& k : o.kpis) kpis.append(py::make_tuple(k.name, k.value, k.unit, k.reproducible));
    py::dict d;
    d["run_id"] = o.run_id;
    d["db"] = o.db;
    d["strategy"] = o.strategy_name;
    d["strategy_version"] = o.strategy_version;
    d["strategy_options"] = o.strategy_options;
    d["seed"] = o.seed;
    d["kpis"] = kpis;
    d["events"] = o.events;
    d["decisions"] = o.decisions;
    d["violations"] = o.violations;
    d["interrupted"] = o.interrupted;
    d["wall_s"] = o.wall_s;
    return d;
}

py::dict run(const Scenario& scenario, py::object strategy, std::optional<std::uint64_t> seed,
             const Options& options, const std::filesystem::path& db) {
    RunOptions run_options;
    run_options.seed = seed;
    run_options.options = options;
    run_options.db = db;
    std::optional<PythonStrategy> python_strategy;
    if (py::isinstance<py::str>(strategy)) {
        run_options.strategy = strategy.cast<std::string>();
    } else if (!strategy.is_none()) {
        if (!py::hasattr(strategy, "decide"))
            throw py::type_error(
                "strategy must be a name, a plugin path or an object with decide(observation)");
        python_strategy.emplace(strategy);
        run_options.strategy_object = &*python_strategy;
        run_options.strategy = name_of(strategy);
        if (py::hasattr(strategy, "version"))
            run_options.strategy_version = py::str(strategy.attr("version"));
    }
    // Ctrl-C: the run stops at its next instant with what it wrote kept, then KeyboardInterrupt.
    std::atomic<bool> interrupt{false};
    run_options.interrupt = &interrupt;
    run_options.progress = [&interrupt](Time) {
        py::gil_scoped_acquire locked;
        if (PyErr_CheckSignals() != 0) {
            PyErr_Clear();
            interrupt = true;
        }
    };
    RunOutcome outcome;
    try {
        py::gil_scoped_release unlocked;
        outcome = run_scenario(scenario, run_options);
    } catch (const PluginError&) {
        if (python_strategy && python_strategy->error_) throw std::move(*python_strategy->error_);
        throw;
    }
    if (outcome.interrupted) {
        PyErr_SetNone(PyExc_KeyboardInterrupt);
        throw py::error_already_set();
    }
    return outcome_dict(outcome);
}

}  // namespace

void bind_run(py::module_& m) {
    m.def("run", &run, py::arg("scenario"), py::arg("strategy") = py::none(), py::arg("seed") = py::none(),
          py::arg("options") = Options{}, py::arg("db"),
          "Runs the scenario into the results database `db`; returns the run's record (run_id, kpis, ...)");
}

}  // namespace evtwin::python
