// evtwin._evtwin.Env and VecEnv: the SDK's reinforcement-learning environments. Observations,
// rewards and flags are NumPy views of the environments' own buffers (no copy; overwritten by the
// next step); stepping releases the GIL.
#include "bindings.hpp"
#include "observation.hpp"

#include <evtwin/rl/env.hpp>
#include <evtwin/rl/vec_env.hpp>

#include <pybind11/stl.h>

#include <array>
#include <stdexcept>
#include <string>

namespace evtwin::python {

namespace {

using Options = std::map<std::string, std::string>;

// The config the scenario's rl{} block gives, with `options` (docs/rl.md, "Options") over it;
// a key the environment does not know is refused.
EnvConfig config_of(const Scenario& scenario, Options options) {
    const EnvConfig config = env_config_with(env_config_of(scenario), options);
    if (!options.empty())
        throw py::value_error("unknown environment option '" + options.begin()->first + "'");
    return config;
}

Autoreset autoreset_of(const std::string& name) {
    if (name == "next_step") return Autoreset::next_step;
    if (name == "same_step") return Autoreset::same_step;
    throw py::value_error("autoreset '" + name + "': expected next_step or same_step");
}

// Actions as `rows` x `size` floats, C-contiguous (converted when they are not).
py::array_t<float, py::array::c_style | py::array::forcecast> actions_of(py::handle a, std::size_t rows,
                                                                         std::size_t size) {
    auto actions = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(a);
    if (!actions) throw py::type_error("actions must be an array of numbers");
    if (static_cast<std::size_t>(actions.size()) != rows * size)
        throw py::value_error("expected " + std::to_string(rows) + " x " + std::to_string(size) +
                              " actions, got " + std::to_string(actions.size()));
    return actions;
}

// StepInfo's fields as numbers, in kInfoFields' order.
constexpr std::array<const char*, 13> kInfoFields = {
    "energy_cost",   "demand_charge", "delivered_kwh",         "ess_throughput_kwh", "satisfaction",
    "unmet_penalty", "departures",    "ended_requested_kwh",   "ended_served_kwh",   "clipped_kw",
    "wear_cost",     "v2g_payment",   "voltage_excursion_pu_h"};

std::array<double, kInfoFields.size()> info_values(const StepInfo& s) {
    return {s.energy_cost,
            s.demand_charge,
            s.delivered_kwh,
            s.ess_throughput_kwh,
            s.satisfaction,
            s.unmet_penalty,
            static_cast<double>(s.departures),
            s.ended_requested_kwh,
            s.ended_served_kwh,
            s.clipped_kw,
            s.wear_cost,
            s.v2g_payment,
            s.voltage_excursion_pu_h};
}

// The observations handed out since the last step; expired before the next one changes them.
struct HandedViews {
    py::object hand(py::object view) {
        views.append(view);
        return view;
    }
    void expire_all() {
        std::string kept;
        for (py::handle v : views) {
            const std::string name = expire(v);
            if (kept.empty()) kept = name;
        }
        views = py::list();
        if (!kept.empty()) throw std::runtime_error(kept_view_message(kept, "the environment's next step"));
    }
    ~HandedViews() {
        for (py::handle v : views) expire(v);
    }
    py::list views;
};

struct PyVecEnv {
    PyVecEnv(const Scenario& scenario, std::size_t n, const Options& options, const std::string& autoreset)
        : vec(n, scenario, config_of(scenario, options), autoreset_of(autoreset)),
          info(kInfoFields.size(), std::vector<double>(n, 0.0)) {}

    void collect_info() {
        for (std::size_t i = 0; i < vec.size(); ++i) {
            const auto values = info_values(vec.env(i).info());
            for (std::size_t k = 0; k < values.size(); ++k) info[k][i] = values[k];
        }
    }

    VecEnv vec;
    std::vector<std::vector<double>> info;  // per StepInfo field, one value per environment
    HandedViews handed;
};

struct PyEnv {
    PyEnv(const Scenario& scenario, const Options& options)
        : env(scenario, config_of(scenario, options)), obs(env.observation_size(), 0.0f) {}
    Env env;
    std::vector<float> obs;
    HandedViews handed;
};

py::array float_view(std::span<const float> v, py::handle base, std::size_t rows, std::size_t cols) {
    py::array_t<float> a({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)}, v.data(), base);
    py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return a;
}

template <class T>
py::array span_view(std::span<const T> s, py::handle base) {
    return readonly_view(py::dtype::of<T>(), s.size(), s.data(), base);
}

py::dict info_dict(const std::vector<std::vector<double>>& columns, py::handle base) {
    py::dict out;
    for (std::size_t k = 0; k < kInfoFields.size(); ++k)
        out[kInfoFields[k]] = span_view<double>(columns[k], base);
    return out;
}

}  // namespace

void bind_env(py::module_& m) {
    py::class_<PyVecEnv>(m, "VecEnv")
        .def(py::init<const Scenario&, std::size_t, const Options&, const std::string&>(),
             py::arg("scenario"), py::arg("num_envs"), py::arg("options") = Options{},
             py::arg("autoreset") = "next_step")
        .def_property_readonly("num_envs", [](const PyVecEnv& e) { return e.vec.size(); })
        .def_property_readonly("observation_size", [](const PyVecEnv& e) { return e.vec.observation_size(); })
        .def_property_readonly("action_size", [](const PyVecEnv& e) { return e.vec.action_size(); })
        .def_property_readonly("action_low",
                               [](const PyVecEnv& e) {
                                   const auto& low = e.vec.layout().action_low;
                                   return py::array_t<float>(static_cast<py::ssize_t>(low.size()),
                                                             low.data());
                               })
        .def_property_readonly("observations",
                               [](py::object self) {
                                   const VecEnv& v = self.cast<const PyVecEnv&>().vec;
                                   return float_view(v.observations(), self, v.size(), v.observation_size());
                               })
        .def_property_readonly(
            "rewards",
            [](py::object self) { return span_view(self.cast<const PyVecEnv&>().vec.rewards(), self); })
        .def_property_readonly(
            "dones",
            [](py::object self) { return span_view(self.cast<const PyVecEnv&>().vec.dones(), self); })
        .def_property_readonly(
            "resets",
            [](py::object self) { return span_view(self.cast<const PyVecEnv&>().vec.resets(), self); })
        .def_property_readonly(
            "info", [](py::object self) { return info_dict(self.cast<const PyVecEnv&>().info, self); })
        .def(
            "reset",
            [](PyVecEnv& e, std::uint64_t seed) {
                e.handed.expire_all();
                {
                    py::gil_scoped_release unlocked;
                    e.vec.reset(seed);
                }
                e.collect_info();
            },
            py::arg("seed"))
        .def(
            "step",
            [](PyVecEnv& e, py::handle actions) {
                const auto a = actions_of(actions, e.vec.size(), e.vec.action_size());
                const std::span<const float> all(a.data(), static_cast<std::size_t>(a.size()));
                e.handed.expire_all();
                {
                    py::gil_scoped_release unlocked;
                    e.vec.step(all);
                }
                e.collect_info();
            },
            py::arg("actions"))
        .def(
            "observation",
            [](PyVecEnv& e, std::size_t i) {
                if (i >= e.vec.size()) throw py::index_error("no environment " + std::to_string(i));
                return e.handed.hand(view_of(e.vec.env(i).observation()));
            },
            py::arg("index"),
            "What a strategy would see now in environment `index` (valid until the next step)");

    py::class_<PyEnv>(m, "Env")
        .def(py::init<const Scenario&, const Options&>(), py::arg("scenario"), py::arg("options") = Options{})
        .def_property_readonly("observation_size", [](const PyEnv& e) { return e.env.observation_size(); })
        .def_property_readonly("action_size", [](const PyEnv& e) { return e.env.action_size(); })
        .def_property_readonly("action_low",
                               [](const PyEnv& e) {
                                   const std::span<const float> low = e.env.action_low();
                                   return py::array_t<float>(static_cast<py::ssize_t>(low.size()),
                                                             low.data());
                               })
        .def_property_readonly(
            "obs",
            [](py::object self) {
                const PyEnv& e = self.cast<const PyEnv&>();
                return float_view(e.obs, self, 1, e.obs.size()).attr("reshape")(e.obs.size());
            })
        .def(
            "reset",
            [](PyEnv& e, std::uint64_t seed) {
                e.handed.expire_all();
                py::gil_scoped_release unlocked;
                e.env.reset(seed, e.obs);
            },
            py::arg("seed"))
        .def(
            "step",
            [](PyEnv& e, py::handle action) {
                const auto a = actions_of(action, 1, e.env.action_size());
                bool done = false;
                float reward = 0.0f;
                e.handed.expire_all();
                {
                    py::gil_scoped_release unlocked;
                    reward = e.env.step(std::span<const float>(a.data(), e.env.action_size()), e.obs, done);
                }
                return py::make_tuple(reward, done);
            },
            py::arg("action"))
        .def_property_readonly("done", [](const PyEnv& e) { return e.env.done(); })
        .def_property_readonly("info",
                               [](const PyEnv& e) {
                                   const auto values = info_values(e.env.info());
                                   py::dict out;
                                   for (std::size_t k = 0; k < values.size(); ++k)
                                       out[kInfoFields[k]] = values[k];
                                   out["now"] = e.env.info().now.ms();
                                   return out;
                               })
        .def(
            "observation", [](PyEnv& e) { return e.handed.hand(view_of(e.env.observation())); },
            "What a strategy would see now (valid until the next step or reset)");
}

}  // namespace evtwin::python
