// evtwin._evtwin.Results: a results database read through the SDK's reader (evtwin/results.hpp),
// each table as NumPy columns that take over the reader's vectors (no copy).
#include "bindings.hpp"

#include <evtwin/results.hpp>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

namespace evtwin::python {

namespace {

py::object column_values(ResultColumn& c) {
    switch (c.type) {
        case ResultColumn::Type::integer:
            return owned_array(std::move(c.integers));
        case ResultColumn::Type::real:
            return owned_array(std::move(c.reals));
        case ResultColumn::Type::text:
            break;
    }
    py::list texts;
    for (std::string& t : c.texts) texts.append(py::str(t));
    return texts;
}

// {"columns": [names], "values": {name: array or list of str}, "null": {name: bool array}, "rows": n}
py::dict table_dict(ResultTable table) {
    py::list names;
    py::dict values, nulls;
    for (ResultColumn& c : table.columns) {
        names.append(c.name);
        values[py::str(c.name)] = column_values(c);
        nulls[py::str(c.name)] = owned_array(std::move(c.null)).attr("view")("bool");
    }
    py::dict d;
    d["name"] = table.name;
    d["columns"] = names;
    d["values"] = values;
    d["null"] = nulls;
    d["rows"] = table.rows;
    return d;
}

}  // namespace

void bind_results(py::module_& m) {
    py::class_<Results>(m, "Results")
        .def(py::init<const std::filesystem::path&>(), py::arg("file"))
        .def_property_readonly("file", &Results::file)
        .def("run_ids", &Results::run_ids)
        .def("tables", &Results::tables)
        .def(
            "table",
            [](const Results& r, const std::string& name, std::optional<RunId> run) {
                ResultTable t;
                {
                    py::gil_scoped_release unlocked;
                    t = r.table(name, run);
                }
                return table_dict(std::move(t));
            },
            py::arg("name"), py::arg("run") = py::none())
        .def(
            "kpis",
            [](const Results& r, RunId run) {
                py::list out;
                for (const Kpi& k : r.kpis(run))
                    out.append(py::make_tuple(k.name, k.value, k.unit, k.reproducible));
                return out;
            },
            py::arg("run"))
        .def("results_dump", &Results::results_dump, py::arg("run"),
             "Every reproducible row of the run as text, doubles in exact hex: equal for equal runs");
}

}  // namespace evtwin::python
