// evtwin._evtwin.Scenario: a Lua scenario loaded once, drawing its run for any seed.
#include "bindings.hpp"

#include <evtwin/scenario.hpp>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace evtwin::python {

void bind_scenario(py::module_& m) {
    py::class_<Scenario>(m, "Scenario")
        .def(py::init([](const std::filesystem::path& file, std::optional<std::uint64_t> seed,
                         const std::map<std::string, std::string>& params,
                         const std::filesystem::path& data_dir) {
                 ScenarioOptions options;
                 options.seed = seed;
                 options.params = params;
                 options.data_dir = data_dir;
                 py::gil_scoped_release unlocked;
                 return Scenario::load(file, options);
             }),
             py::arg("file"), py::arg("seed") = py::none(),
             py::arg("params") = std::map<std::string, std::string>{},
             py::arg("data_dir") = std::filesystem::path())
        .def_property_readonly("name", &Scenario::name)
        .def_property_readonly("file", &Scenario::file)
        .def_property_readonly("seed", &Scenario::seed)
        .def("__repr__", [](const Scenario& s) {
            return "<evtwin.Scenario '" + s.name() + "' from " + s.file().string() + ", seed " +
                   std::to_string(s.seed()) + ">";
        });
}

}  // namespace evtwin::python
