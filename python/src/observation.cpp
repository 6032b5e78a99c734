#include "observation.hpp"

#include <pybind11/stl.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <stdexcept>

namespace evtwin::python {

namespace {

// A structured dtype over a C++ struct: (name, NumPy format, offset) per field, the struct's size.
struct Field {
    const char* name;
    const char* format;
    std::size_t offset;
};

py::dtype struct_dtype(std::initializer_list<Field> fields, std::size_t itemsize) {
    py::list names, formats, offsets;
    for (const Field& f : fields) {
        names.append(f.name);
        formats.append(f.format);
        offsets.append(f.offset);
    }
    py::dict spec;
    spec["names"] = names;
    spec["formats"] = formats;
    spec["offsets"] = offsets;
    spec["itemsize"] = itemsize;
    return py::dtype::from_args(spec);
}

// Times and durations are int64 milliseconds (the first and only member of Time and Duration).
#define EVTWIN_FIELD(Type, member, format) (Field{#member, format, offsetof(Type, member)})

struct Dtypes {
    py::dtype nodes = struct_dtype(
        {EVTWIN_FIELD(NodeView, parent, "u4"), EVTWIN_FIELD(NodeView, kind, "u1"),
         EVTWIN_FIELD(NodeView, import_limit_kw, "f8"), EVTWIN_FIELD(NodeView, export_limit_kw, "f8"),
         EVTWIN_FIELD(NodeView, fixed_flow_kw, "f8")},
        sizeof(NodeView));
    py::dtype connectors = struct_dtype(
        {EVTWIN_FIELD(ConnectorView, node, "u4"), EVTWIN_FIELD(ConnectorView, charger, "u4"),
         EVTWIN_FIELD(ConnectorView, max_kw, "f8"), EVTWIN_FIELD(ConnectorView, min_kw, "f8"),
         EVTWIN_FIELD(ConnectorView, v2g_capable, "?"), EVTWIN_FIELD(ConnectorView, state, "u1"),
         EVTWIN_FIELD(ConnectorView, session, "u4"), EVTWIN_FIELD(ConnectorView, efficiency, "f8"),
         EVTWIN_FIELD(ConnectorView, reserved, "?"), EVTWIN_FIELD(ConnectorView, reserved_until, "i8")},
        sizeof(ConnectorView));
    py::dtype sessions =
        struct_dtype({EVTWIN_FIELD(SessionView, id, "u4"),
                      EVTWIN_FIELD(SessionView, connector, "u4"),
                      EVTWIN_FIELD(SessionView, arrival, "i8"),
                      EVTWIN_FIELD(SessionView, declared_departure, "i8"),
                      EVTWIN_FIELD(SessionView, expected_departure, "i8"),
                      EVTWIN_FIELD(SessionView, requested_kwh, "f8"),
                      EVTWIN_FIELD(SessionView, delivered_kwh, "f8"),
                      EVTWIN_FIELD(SessionView, remaining_kwh, "f8"),
                      EVTWIN_FIELD(SessionView, soc, "f8"),
                      EVTWIN_FIELD(SessionView, capacity_kwh, "f8"),
                      EVTWIN_FIELD(SessionView, min_soc, "f8"),
                      EVTWIN_FIELD(SessionView, max_charge_kw, "f8"),
                      EVTWIN_FIELD(SessionView, max_discharge_kw, "f8"),
                      EVTWIN_FIELD(SessionView, recharge_kw, "f8"),
                      EVTWIN_FIELD(SessionView, rated_discharge_kw, "f8"),
                      EVTWIN_FIELD(SessionView, charge_efficiency, "f8"),
                      EVTWIN_FIELD(SessionView, v2g_allowed, "?"),
                      EVTWIN_FIELD(SessionView, soh, "f8"),
                      Field{"wear_per_kwh", "f8", offsetof(SessionView, wear.per_kwh)},
                      Field{"wear_per_kwh_h_high", "f8", offsetof(SessionView, wear.per_kwh_h_high)},
                      Field{"min_charge_kw", "f8", offsetof(SessionView, needs.min_charge_kw)},
                      Field{"goal_by", "i8", offsetof(SessionView, needs.goal_by)},
                      Field{"goal_kwh", "f8", offsetof(SessionView, needs.goal_kwh)},
                      Field{"value_per_kwh", "f8", offsetof(SessionView, needs.value_per_kwh)}},
                     sizeof(SessionView));
    py::dtype upcoming = struct_dtype(
        {EVTWIN_FIELD(UpcomingSession, id, "u4"), EVTWIN_FIELD(UpcomingSession, arrival, "i8"),
         EVTWIN_FIELD(UpcomingSession, declared_departure, "i8"),
         EVTWIN_FIELD(UpcomingSession, requested_kwh, "f8"), EVTWIN_FIELD(UpcomingSession, initial_soc, "f8"),
         EVTWIN_FIELD(UpcomingSession, capacity_kwh, "f8"), EVTWIN_FIELD(UpcomingSession, min_soc, "f8"),
         EVTWIN_FIELD(UpcomingSession, max_ac_kw, "f8"), EVTWIN_FIELD(UpcomingSession, max_dc_kw, "f8"),
         EVTWIN_FIELD(UpcomingSession, max_discharge_kw, "f8"),
         EVTWIN_FIELD(UpcomingSession, v2g_allowed, "?"), EVTWIN_FIELD(UpcomingSession, charger, "u4"),
         EVTWIN_FIELD(UpcomingSession, departure, "i8"),
         Field{"wear_per_kwh", "f8", offsetof(UpcomingSession, wear.per_kwh)},
         Field{"wear_per_kwh_h_high", "f8", offsetof(UpcomingSession, wear.per_kwh_h_high)},
         Field{"min_charge_kw", "f8", offsetof(UpcomingSession, needs.min_charge_kw)},
         Field{"goal_by", "i8", offsetof(UpcomingSession, needs.goal_by)},
         Field{"goal_kwh", "f8", offsetof(UpcomingSession, needs.goal_kwh)},
         Field{"value_per_kwh", "f8", offsetof(UpcomingSession, needs.value_per_kwh)}},
        sizeof(UpcomingSession));
    py::dtype terms = struct_dtype(
        {EVTWIN_FIELD(ConnectorTerm, connector, "u4"), EVTWIN_FIELD(ConnectorTerm, coefficient, "f8"),
         EVTWIN_FIELD(ConnectorTerm, amps_per_kw, "f8"), EVTWIN_FIELD(ConnectorTerm, cos_phase, "f8"),
         EVTWIN_FIELD(ConnectorTerm, sin_phase, "f8")},
        sizeof(ConnectorTerm));
    py::dtype bus_voltages =
        struct_dtype({EVTWIN_FIELD(BusVoltageView, node, "u4"), EVTWIN_FIELD(BusVoltageView, phase, "u1"),
                      EVTWIN_FIELD(BusVoltageView, v_pu, "f8"), EVTWIN_FIELD(BusVoltageView, v_min_pu, "f8"),
                      EVTWIN_FIELD(BusVoltageView, v_max_pu, "f8")},
                     sizeof(BusVoltageView));
    py::dtype branch_loadings = struct_dtype(
        {EVTWIN_FIELD(BranchLoadingView, node, "u4"), EVTWIN_FIELD(BranchLoadingView, branch, "u4"),
         EVTWIN_FIELD(BranchLoadingView, loading, "f8")},
        sizeof(BranchLoadingView));
    py::dtype attached = struct_dtype(
        {EVTWIN_FIELD(AttachedNodeView, node, "u4"), EVTWIN_FIELD(AttachedNodeView, import_kw, "f8")},
        sizeof(AttachedNodeView));
    py::dtype f8 = py::dtype("f8");
};

#undef EVTWIN_FIELD

// Made on first use (the GIL held) and kept for the interpreter's life.
const Dtypes& dtypes() {
    static const Dtypes* d = new Dtypes();
    return *d;
}

// A read-only view of `items`, tracked by the ObservationView `base` as `name`.
template <class T>
py::array view(const char* name, const py::dtype& dtype, std::span<const T> items, py::handle base) {
    return base.cast<ObservationView&>().track(name, readonly_view(dtype, items.size(), items.data(), base));
}

py::array doubles(const char* name, const std::vector<double>& v, py::handle base) {
    return view(name, dtypes().f8, std::span<const double>(v), base);
}

enum class FeederQuantity { voltages, loadings };

// FeederSensitivity's answer for the voltages or the loadings as a tuple of arrays (values, slopes
// values × attached); None without a feeder or where the power flow does not converge.
py::object feeder_at(const Observation& o, FeederQuantity quantity,
                     const std::optional<std::vector<double>>& import_kw, py::object at_ms) {
    const FeederView& f = o.feeder;
    if (!f.present || f.sensitivity == nullptr) return py::none();
    const FeederSensitivity& sensitivity = *f.sensitivity;
    const bool voltages = quantity == FeederQuantity::voltages;
    std::vector<double> values, slopes;
    if (!import_kw && at_ms.is_none()) {
        const std::span<const double> now = voltages ? sensitivity.v_pu_now() : sensitivity.loading_now();
        const std::span<const double> d =
            voltages ? sensitivity.dv_pu_per_kw() : sensitivity.dloading_per_kw();
        values.assign(now.begin(), now.end());
        slopes.assign(d.begin(), d.end());
    } else if (import_kw && import_kw->size() != f.attached.size()) {
        throw py::value_error(std::string(voltages ? "feeder_voltages_at: " : "feeder_loadings_at: ") +
                              std::to_string(f.attached.size()) +
                              " imports wanted (one per attached node), got " +
                              std::to_string(import_kw->size()));
    } else {
        std::vector<double> imports;
        for (const AttachedNodeView& node : f.attached) imports.push_back(node.import_kw);
        if (import_kw) imports = *import_kw;
        const Time at = at_ms.is_none() ? o.now : Time(at_ms.cast<std::int64_t>());
        const bool solved = voltages ? sensitivity.voltages_at(at, imports, values, &slopes)
                                     : sensitivity.loadings_at(at, imports, values, &slopes);
        if (!solved) return py::none();
    }
    const auto rows = static_cast<py::ssize_t>(values.size());
    const auto cols = static_cast<py::ssize_t>(f.attached.size());
    py::array_t<double> d({rows, cols});
    std::copy(slopes.begin(), slopes.end(), d.mutable_data());
    return py::make_tuple(py::array_t<double>(rows, values.data()), d);
}

}  // namespace

py::array readonly_view(const py::dtype& dtype, std::size_t count, const void* data, py::handle base) {
    py::array a(dtype, {static_cast<py::ssize_t>(count)}, {}, data, base);
    py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    return a;
}

const Observation& ObservationView::get() const {
    if (!obs_)
        throw std::logic_error(
            "this observation is no longer valid: the engine has moved on (the decide() call returned, "
            "or the environment stepped); copy what you keep");
    return *obs_;
}

py::array ObservationView::track(const char* name, py::array a) {
    handed_.emplace_back(name, a);
    return a;
}

std::string ObservationView::expire() {
    obs_ = nullptr;
    std::string kept;
    for (const auto& [name, array] : handed_)
        if (kept.empty() && Py_REFCNT(array.ptr()) > 1) kept = name;
    handed_.clear();
    return kept;
}

py::object view_of(const Observation& o) {
    return py::cast(ObservationView(o));
}

std::string expire(py::handle view) {
    return view.cast<ObservationView&>().expire();
}

std::string kept_view_message(const std::string& name, const char* when) {
    return "obs." + name + " (or a view of it) was kept past " + when +
           ": it views the engine's memory, which changes after it; keep a copy (obs." + name + ".copy())";
}

void bind_observation(py::module_& m) {
    using V = ObservationView;
    py::class_<EssView>(m, "EssView")
        .def_readonly("node", &EssView::node)
        .def_readonly("capacity_kwh", &EssView::capacity_kwh)
        .def_readonly("soc", &EssView::soc)
        .def_readonly("soc_min", &EssView::soc_min)
        .def_readonly("soc_max", &EssView::soc_max)
        .def_readonly("max_charge_kw", &EssView::max_charge_kw)
        .def_readonly("max_discharge_kw", &EssView::max_discharge_kw)
        .def_readonly("rated_charge_kw", &EssView::rated_charge_kw)
        .def_readonly("rated_discharge_kw", &EssView::rated_discharge_kw)
        .def_readonly("charge_efficiency", &EssView::charge_efficiency)
        .def_readonly("discharge_efficiency", &EssView::discharge_efficiency)
        .def_readonly("soh", &EssView::soh)
        .def_readonly("end_value_per_kwh", &EssView::end_value_per_kwh)
        .def_readonly("end_soc", &EssView::end_soc)
        .def_readonly("grid_charge", &EssView::grid_charge)
        .def_readonly("grid_discharge", &EssView::grid_discharge)
        .def_readonly("priority", &EssView::priority)
        .def_property_readonly("wear_per_kwh", [](const EssView& e) { return e.wear.per_kwh; })
        .def_property_readonly("wear_per_kwh_h_high", [](const EssView& e) { return e.wear.per_kwh_h_high; });
    py::class_<DemandView>(m, "DemandView")
        .def_readonly("rate_per_kw", &DemandView::rate_per_kw)
        .def_property_readonly("interval", [](const DemandView& d) { return d.interval.ms(); })
        .def_readonly("peak_kw", &DemandView::peak_kw)
        .def_property_readonly("interval_start", [](const DemandView& d) { return d.interval_start.ms(); })
        .def_readonly("interval_kwh", &DemandView::interval_kwh)
        .def_property_readonly("period_end", [](const DemandView& d) { return d.period_end.ms(); });
    py::class_<EconomicsView>(m, "EconomicsView")
        .def_readonly("charging_price_per_kwh", &EconomicsView::charging_price_per_kwh)
        .def_readonly("v2g_price_factor", &EconomicsView::v2g_price_factor)
        .def_readonly("ev_degradation_per_kwh", &EconomicsView::ev_degradation_per_kwh)
        .def_readonly("ess_degradation_per_kwh", &EconomicsView::ess_degradation_per_kwh)
        .def_readonly("pv_curtailment_cost_per_kwh", &EconomicsView::pv_curtailment_cost_per_kwh);

    py::class_<V>(m, "Observation",
                  "What a strategy sees at a decision point (times in ms since the epoch, UTC)")
        .def_property_readonly("now", [](const V& v) { return v.get().now.ms(); })
        .def_property_readonly("control_period", [](const V& v) { return v.get().control_period.ms(); })
        .def_property_readonly("run_start", [](const V& v) { return v.get().run_start.ms(); })
        .def_property_readonly("run_end", [](const V& v) { return v.get().run_end.ms(); })
        .def_property_readonly(
            "nodes",
            [](py::object v) { return view("nodes", dtypes().nodes, v.cast<const V&>().get().nodes, v); })
        .def_property_readonly("connectors",
                               [](py::object v) {
                                   return view("connectors", dtypes().connectors,
                                               v.cast<const V&>().get().connectors, v);
                               })
        .def_property_readonly("sessions",
                               [](py::object v) {
                                   return view("sessions", dtypes().sessions,
                                               v.cast<const V&>().get().sessions, v);
                               })
        .def_property_readonly("upcoming",
                               [](py::object v) {
                                   return view("upcoming", dtypes().upcoming,
                                               v.cast<const V&>().get().upcoming, v);
                               })
        .def(
            "setpoints",
            [](py::object v, std::size_t connector) {
                const Observation& o = v.cast<const V&>().get();
                if (connector >= o.connectors.size())
                    throw py::index_error("no connector " + std::to_string(connector));
                return view("setpoints()", dtypes().f8, o.connectors[connector].setpoints_kw, v);
            },
            "The connector's allowed setpoints (kW, grid side); empty when it is continuous")
        .def_property_readonly(
            "phase_constraints",
            [](py::object v) {
                py::list out;
                for (const PhaseConstraintView& k : v.cast<const V&>().get().phase_constraints)
                    out.append(
                        py::make_tuple(k.limit_a, view("phase_constraints", dtypes().terms, k.terms, v)));
                return out;
            })
        .def_property_readonly("ess",
                               [](const V& v) {
                                   const auto& ess = v.get().ess;
                                   return std::vector<EssView>(ess.begin(), ess.end());
                               })
        .def_property_readonly("demand", [](const V& v) { return v.get().demand; })
        .def_property_readonly("economics", [](const V& v) { return v.get().economics; })
        .def_property_readonly("feeder",
                               [](py::object v) -> py::object {
                                   const FeederView& f = v.cast<const V&>().get().feeder;
                                   if (!f.present) return py::none();
                                   py::dict out;
                                   out["v_min_pu"] = f.v_min_pu;
                                   out["v_max_pu"] = f.v_max_pu;
                                   out["voltages"] = view("feeder", dtypes().bus_voltages, f.voltages, v);
                                   out["loadings"] = view("feeder", dtypes().branch_loadings, f.loadings, v);
                                   out["max_loading"] = f.max_loading;
                                   out["attached"] = view("feeder", dtypes().attached, f.attached, v);
                                   return out;
                               })
        .def(
            "feeder_voltages_at",
            [](py::object v, std::optional<std::vector<double>> import_kw, py::object at_ms) {
                return feeder_at(v.cast<const V&>().get(), FeederQuantity::voltages, import_kw, at_ms);
            },
            py::arg("import_kw") = py::none(), py::arg("at_ms") = py::none(),
            "On a feeder: (v_pu, dv_pu_per_kw), the voltages of feeder['voltages'] and their slopes per "
            "kW of each attached node's import, around the imports of feeder['attached'] (default) or "
            "`import_kw`, the feeder's other customers as they are now or, with `at_ms`, as the "
            "scenario's load profiles have them then; None without a feeder or where the power flow "
            "does not converge")
        .def(
            "feeder_loadings_at",
            [](py::object v, std::optional<std::vector<double>> import_kw, py::object at_ms) {
                return feeder_at(v.cast<const V&>().get(), FeederQuantity::loadings, import_kw, at_ms);
            },
            py::arg("import_kw") = py::none(), py::arg("at_ms") = py::none(),
            "On a feeder: (loading, dloading_per_kw), the loadings of feeder['loadings'] and their "
            "slopes, as feeder_voltages_at gives the voltages")
        .def_property_readonly("previous",
                               [](py::object v) -> py::object {
                                   const Decision* d = v.cast<const V&>().get().previous;
                                   if (!d) return py::none();
                                   return py::make_tuple(doubles("previous", d->connector_kw, v),
                                                         doubles("previous", d->ess_kw, v));
                               })
        .def_property_readonly("forecast", [](py::object v) -> py::object {
            const Forecast* f = v.cast<const V&>().get().forecast;
            if (!f) return py::none();
            py::dict out;
            out["start"] = f->start.ms();
            out["step"] = f->step.ms();
            out["import_price"] = doubles("forecast", f->import_price, v);
            out["export_price"] = doubles("forecast", f->export_price, v);
            out["pv_kw"] = doubles("forecast", f->pv_kw, v);
            out["base_load_kw"] = doubles("forecast", f->base_load_kw, v);
            py::dict nodes;
            for (const NodeFlowForecast& n : f->node_fixed_flow)
                nodes[py::int_(n.node)] = doubles("forecast", n.kw, v);
            out["node_fixed_flow"] = nodes;
            return out;
        });
}

}  // namespace evtwin::python
