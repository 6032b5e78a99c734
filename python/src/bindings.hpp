#pragma once
// The parts of the compiled module `evtwin._evtwin`, each in its own file. The module uses the
// public SDK (engine/include/evtwin) only.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <utility>
#include <vector>

namespace evtwin::python {

namespace py = pybind11;

void bind_errors(py::module_& m);
void bind_scenario(py::module_& m);
void bind_observation(py::module_& m);
void bind_env(py::module_& m);
void bind_run(py::module_& m);
void bind_results(py::module_& m);

// A NumPy array that takes over `values` (no copy): the vector lives in a capsule the array holds.
template <class T>
py::array owned_array(std::vector<T>&& values) {
    auto* heap = new std::vector<T>(std::move(values));
    py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
    return py::array_t<T>(static_cast<py::ssize_t>(heap->size()), heap->data(), owner);
}

// A read-only NumPy view of `count` items of `dtype` at `data`, kept valid by `base`.
py::array readonly_view(const py::dtype& dtype, std::size_t count, const void* data, py::handle base);

}  // namespace evtwin::python
