// evtwin._evtwin: the engine's SDK for Python. The package evtwin (python/evtwin) builds its API on it.
#include "bindings.hpp"

PYBIND11_MODULE(_evtwin, m) {
    m.doc() =
        "The evtwin engine for Python: scenarios, runs, results and reinforcement-learning environments";
    evtwin::python::bind_errors(m);
    evtwin::python::bind_scenario(m);
    evtwin::python::bind_observation(m);
    evtwin::python::bind_env(m);
    evtwin::python::bind_run(m);
    evtwin::python::bind_results(m);
}
