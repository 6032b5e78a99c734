// The SDK's errors as Python exceptions, all derived from evtwin.Error, with the engine's message
// (file and line where there is one).
#include "bindings.hpp"

#include <evtwin/errors.hpp>
#include <evtwin/strategy.hpp>

namespace evtwin::python {

namespace {
struct ErrorBase {};  // only names the base class for pybind11
}  // namespace

void bind_errors(py::module_& m) {
    static py::exception<ErrorBase> base(m, "Error");
    py::register_exception<ScenarioError>(m, "ScenarioError", base.ptr());
    py::register_exception<DataError>(m, "DataError", base.ptr());
    py::register_exception<PluginError>(m, "PluginError", base.ptr());
    py::register_exception<ResultsError>(m, "ResultsError", base.ptr());
    py::register_exception<StrategyError>(m, "StrategyError", base.ptr());
}

}  // namespace evtwin::python
