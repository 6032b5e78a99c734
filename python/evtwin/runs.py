"""Running scenarios from Python: evtwin.run and evtwin.compare, through the engine's run path (the
same physics, checks, violations and KPIs as `evtwin run`)."""
import os
import shutil
import tempfile
import weakref

from . import _evtwin
from .results import Results, Run


def _texts(mapping):
    """Option and parameter values as the engine reads them (True -> "true")."""
    def text(v):
        return ("true" if v else "false") if isinstance(v, bool) else str(v)
    return {str(k): text(v) for k, v in (mapping or {}).items()}


def load(scenario, seed=None, params=None, data_dir=None):
    """A Lua scenario loaded once (evtwin.ScenarioError names file and line when it is broken); runs
    and environments draw their run from it for any seed. A loaded scenario is returned as it is."""
    if isinstance(scenario, _evtwin.Scenario):
        return scenario
    return _evtwin.Scenario(os.fspath(scenario), seed, _texts(params), os.fspath(data_dir or ""))


class _TemporaryDatabase:
    """A database in a folder of its own, removed when nothing holds it any more."""

    def __init__(self):
        folder = tempfile.mkdtemp(prefix="evtwin-")
        self.path = os.path.join(folder, "run.db")
        weakref.finalize(self, shutil.rmtree, folder, True)


def _database(db):
    """The path to write to, and the temporary database to keep alive when none was given."""
    if db is not None:
        return os.fspath(db), None
    keep = _TemporaryDatabase()
    return keep.path, keep


def run(scenario, strategy=None, seed=None, params=None, options=None, db=None, data_dir=None):
    """Runs `scenario` (a .lua path or a loaded scenario) under `strategy`: a plugin's name or path, an
    object with decide(observation) -> setpoints (a Python strategy, docs/python.md), or None for the
    scenario's own. `options` are the strategy's (--opt), `params` the scenario's (-D). The run is
    written to `db` (added to it when it exists), or to a temporary database that lives as long as the
    returned Run. Ctrl-C stops the run with what it wrote kept, then raises KeyboardInterrupt."""
    loaded = load(scenario, params=params, data_dir=data_dir)
    db, keep = _database(db)
    if isinstance(strategy, os.PathLike):
        strategy = os.fspath(strategy)
    record = _evtwin.run(loaded, strategy, seed, _texts(options), db)
    return Run(Results(db, keep), record["run_id"], record)


def compare(scenario, strategies, seeds=(1, 2, 3, 4, 5), params=None, options=None, db=None, data_dir=None):
    """Runs every strategy on every seed (an int N: seeds 1..N) and returns one row of KPIs per run,
    as a DataFrame with columns strategy, seed, run_id and one per KPI. `options` maps a strategy's
    name to its options. All runs go to one database: `db`, or a temporary one that lives as long as
    frame.attrs["results"], the Results to read the runs from."""
    import pandas as pd

    if isinstance(seeds, int):
        seeds = range(1, seeds + 1)
    loaded = load(scenario, params=params, data_dir=data_dir)
    db, keep = _database(db)
    rows = []
    for s in seeds:
        for strategy in strategies:
            name = strategy if isinstance(strategy, str) else getattr(strategy, "name", type(strategy).__name__)
            r = run(loaded, strategy, seed=s, options=(options or {}).get(name), db=db)
            rows.append({"strategy": r.strategy, "seed": r.seed, "run_id": r.run_id, **r.kpis})
    frame = pd.DataFrame(rows)
    frame.attrs["results"] = Results(db, keep)
    return frame
