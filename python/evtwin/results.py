"""Results databases as pandas DataFrames, read through the engine's reader library (the values are
the stored ones: NULL in a limit column is +inf, a NULL integer is <NA>, a NULL text is None)."""
import os

from . import _evtwin

# Runs' tables that a Run offers as attributes.
_RUN_TABLES = ("sessions", "site_series", "connector_series", "node_series", "events", "violations",
               "tariff_prices", "nodes", "connectors", "ess", "ess_series", "pv", "loads")


def _frame(table):
    import pandas as pd  # only when a DataFrame is asked for

    data = {}
    for name in table["columns"]:
        values, null = table["values"][name], table["null"][name]
        if isinstance(values, list):
            if null.any():
                values = [None if n else v for v, n in zip(values, null)]
            data[name] = pd.Series(values, dtype=object)
        elif values.dtype.kind == "i" and null.any():
            data[name] = pd.arrays.IntegerArray(values, null)
        else:
            data[name] = values
    return pd.DataFrame(data, columns=table["columns"], copy=False)


class Results:
    """A results database (docs/results-schema.md), opened read-only."""

    def __init__(self, path, keep=None):
        self._db = _evtwin.Results(os.fspath(path))
        self._keep = keep  # what must live as long as these results (a temporary database)

    @property
    def path(self):
        return self._db.file

    def run_ids(self):
        return self._db.run_ids()

    def tables(self):
        """The tables the file holds (results, timing, and those other tools add)."""
        return self._db.tables()

    def table(self, name, run=None):
        """Table `name` as a DataFrame in key order; with `run`, only that run's rows."""
        return _frame(self._db.table(name, run))

    @property
    def runs(self):
        return self.table("runs")

    def kpis(self, run):
        """The run's KPIs as {name: value} (reproducible ones first, then wall-clock ones)."""
        return {name: value for name, value, _, _ in self._db.kpis(run)}

    def run(self, run_id):
        return Run(self, run_id)

    def results_dump(self, run):
        """Every reproducible row of the run as text, doubles in exact hex: equal for equal runs."""
        return self._db.results_dump(run)

    def __repr__(self):
        return f"<evtwin.Results {self.path} runs={self.run_ids()}>"


class Run:
    """One run of a results database: its KPIs and its tables as DataFrames (read when first used)."""

    def __init__(self, results, run_id, record=None):
        self.results = results
        self.run_id = run_id
        self._record = record or {}
        self._frames = {}
        kpis = results._db.kpis(run_id)
        self.kpis = {name: value for name, value, _, _ in kpis}
        self.kpi_units = {name: unit for name, _, unit, _ in kpis}
        row = results.table("runs", run_id).iloc[0]
        self.strategy = row["strategy_name"]
        self.seed = int(row["seed"])
        self.status = row["status"]

    @property
    def db(self):
        return self.results.path

    @property
    def decisions(self):
        """Decision points of the run (None for a run read from a file)."""
        return self._record.get("decisions")

    @property
    def wall_s(self):
        """Seconds the simulation took (None for a run read from a file)."""
        return self._record.get("wall_s")

    def table(self, name):
        if name not in self._frames:
            self._frames[name] = self.results.table(name, self.run_id)
        return self._frames[name]

    def __getattr__(self, name):
        if name in _RUN_TABLES:
            return self.table(name)
        raise AttributeError(f"'Run' has no attribute '{name}'")

    def __repr__(self):
        return f"<evtwin.Run {self.run_id} of {self.db}: {self.strategy}, seed {self.seed}, {self.status}>"


def read(path):
    """Any results database, as DataFrames: evtwin.read("runs.db").table("sessions", run=1)."""
    return Results(path)
