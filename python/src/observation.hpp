#pragma once
// What a Python strategy sees at a decision point: the engine's Observation as read-only NumPy views
// (structured arrays over the engine's own arrays, no copy) and named fields. The views are valid
// only until the engine moves on (the decide() call returns, the environment steps): then the object
// refuses access, and a view still held elsewhere is reported, since its memory may be reused.
#include "bindings.hpp"

#include <evtwin/observation.hpp>

namespace evtwin::python {

class ObservationView {
public:
    explicit ObservationView(const Observation& o) : obs_(&o) {}
    const Observation& get() const;
    // Remembers an array handed out as `name`, to check at expiry that nobody kept it.
    py::array track(const char* name, py::array a);
    // Refuses access from now on; returns the name of an array still held elsewhere, or "".
    std::string expire();

private:
    const Observation* obs_;
    std::vector<std::pair<const char*, py::array>> handed_;
};

// A Python object viewing `o`; expire() it (through the returned handle) when `o` changes.
py::object view_of(const Observation& o);
std::string expire(py::handle view);
// The message for a view kept past its time, e.g. "obs.sessions was kept past the decide() call".
std::string kept_view_message(const std::string& name, const char* when);

}  // namespace evtwin::python
