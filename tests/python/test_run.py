"""evtwin.run, evtwin.compare and evtwin.read: KPIs, DataFrames equal to the stored values, the
physics under them, reproducibility, and errors as Python exceptions."""
import math
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

import numpy as np

import evtwin
from support import QUICKSTART, scenario


def stored(db, table, run_id):
    """The table's rows for the run as Python's sqlite3 reads them, in key order."""
    with sqlite3.connect(db) as con:
        keys = [r[0] for r in con.execute("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", (table,))]
        cur = con.execute(f"SELECT * FROM {table} WHERE run_id = ? ORDER BY {', '.join(keys)}", (run_id,))
        names = [d[0] for d in cur.description]
        return names, cur.fetchall()


class RunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.folder.name, "runs.db")
        cls.edf = evtwin.run(QUICKSTART, strategy="edf", seed=3, db=cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_run_names_its_strategy_seed_and_database(self):
        self.assertEqual(self.edf.strategy, "edf")
        self.assertEqual(self.edf.seed, 3)
        self.assertEqual(self.edf.status, "complete")
        self.assertEqual(os.path.abspath(self.edf.db), os.path.abspath(self.db))
        self.assertGreater(self.edf.decisions, 672)  # a week of 15-minute periods, and arrivals

    def test_kpis_are_the_stored_ones(self):
        with sqlite3.connect(self.db) as con:
            rows = dict(con.execute("SELECT name, value FROM kpis WHERE run_id = ?", (self.edf.run_id,)))
        self.assertGreater(len(rows), 10)
        for name, value in rows.items():
            if value is None:  # undefined (a ratio over nothing): NaN
                self.assertTrue(math.isnan(self.edf.kpis[name]), name)
            else:
                self.assertEqual(self.edf.kpis[name], value, name)
        self.assertEqual(self.edf.kpi_units["energy_cost"], "KRW")

    def test_dataframes_hold_the_stored_values(self):
        for table in ("sessions", "site_series", "connector_series", "events", "nodes", "tariff_prices"):
            frame = self.edf.table(table)
            names, rows = stored(self.db, table, self.edf.run_id)
            self.assertEqual(list(frame.columns), names[1:], table)  # run_id left out
            self.assertEqual(len(frame), len(rows), table)
            self.assertGreater(len(rows), 0, table)
            for c, name in enumerate(names[1:], start=1):
                column = frame[name]
                for r, row in enumerate(rows):
                    value, got = row[c], column.iloc[r]
                    if value is None:
                        # NULL: +inf in a limit column, NaN for other reals, <NA> or None otherwise
                        if name.endswith("limit_kw") or name == "limit_a":
                            self.assertEqual(got, math.inf, (table, name))
                        else:
                            self.assertTrue(got is None or got is np.nan or (isinstance(got, float) and math.isnan(got))
                                            or str(got) == "<NA>", (table, name, got))
                    else:
                        self.assertEqual(got, value, (table, name, r))

    def test_nullable_integers_keep_their_nulls(self):
        sessions = self.edf.sessions
        names, rows = stored(self.db, "sessions", self.edf.run_id)
        at = names.index("connector")
        nulls = sum(1 for row in rows if row[at] is None)
        self.assertEqual(int(sessions["connector"].isna().sum()), nulls)

    def test_energy_balances_in_the_dataframes(self):
        # The KPI equals the sessions' meters; the connectors' grid power, integrated over the run
        # (piecewise constant, written on change), equals the sessions' grid energy.
        sessions = self.edf.sessions
        delivered = sessions["delivered_kwh"].sum()
        self.assertAlmostEqual(self.edf.kpis["energy_delivered"], delivered, delta=1e-6 * delivered)
        end_ms = int(self.edf.results.runs.set_index("run_id").loc[self.edf.run_id, "end_ms"])
        integral = 0.0
        for _, rows in self.edf.connector_series.groupby("connector"):
            t = np.append(rows["t_ms"].to_numpy(), end_ms)
            integral += float(np.sum(rows["grid_kw"].to_numpy() * np.diff(t)) / 3.6e6)
        grid_kwh = sessions["grid_kwh"].sum()
        self.assertAlmostEqual(integral, grid_kwh, delta=1e-6 * grid_kwh)
        self.assertTrue((sessions["delivered_kwh"] <= sessions["requested_kwh"] + 1e-6).all())
        self.assertTrue(((sessions["final_soc"] >= 0) & (sessions["final_soc"] <= 1)).all())

    def test_power_stays_within_the_transformer_and_no_violation(self):
        self.assertEqual(len(self.edf.violations), 0)
        self.assertLessEqual(self.edf.site_series["grid_kw"].max(), 150 + 1e-6)
        self.assertEqual(self.edf.kpis["limit_violations"], 0)

    def test_read_gives_the_same_run(self):
        results = evtwin.read(self.db)
        self.assertIn(self.edf.run_id, results.run_ids())
        again = results.run(self.edf.run_id)
        self.assertEqual(again.kpis, self.edf.kpis)
        self.assertTrue(again.sessions.equals(self.edf.sessions))
        self.assertIn("sessions", results.tables())
        self.assertEqual(len(results.runs), len(results.run_ids()))

    def test_same_seed_gives_identical_results_tables(self):
        a = evtwin.run(QUICKSTART, strategy="edf", seed=3)
        self.assertEqual(a.results.results_dump(a.run_id), evtwin.read(self.db).results_dump(self.edf.run_id))
        b = evtwin.run(QUICKSTART, strategy="edf", seed=4)
        self.assertNotEqual(a.results.results_dump(a.run_id), b.results.results_dump(b.run_id))

    def test_temporary_database_lives_with_the_run(self):
        r = evtwin.run(QUICKSTART, strategy="uncontrolled", seed=1)
        path = r.db
        self.assertTrue(os.path.exists(path))
        del r
        self.assertFalse(os.path.exists(path))

    def test_options_and_params_reach_the_engine(self):
        r = evtwin.run(QUICKSTART, strategy="edf", seed=1, params={"transformer_kw": 60})
        self.assertLessEqual(r.site_series["grid_kw"].max(), 60 + 1e-6)
        with self.assertRaisesRegex(evtwin.PluginError, "unknown option 'bogus'"):
            evtwin.run(QUICKSTART, strategy="edf", options={"bogus": 1})


def committed_rows(db):
    """Rows of site_series a reader sees in `db`; 0 while the file or its schema does not exist yet."""
    if not os.path.exists(db):
        return 0
    try:
        with sqlite3.connect(db) as con:
            return con.execute("SELECT count(*) FROM site_series").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


class InterruptTest(unittest.TestCase):
    def test_ctrl_c_stops_the_run_and_keeps_what_it_wrote(self):
        with tempfile.TemporaryDirectory() as folder:
            db = os.path.join(folder, "year.db")
            script = (f"import evtwin\nevtwin.run({str(scenario('../bench/scenarios/year_200_chargers.lua'))!r}, "
                      f"db={db!r})\n")
            child = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
            # Interrupted once the run has committed its first rows: well into the year.
            deadline = time.monotonic() + 60
            while committed_rows(db) == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            child.send_signal(signal.SIGINT)
            _, err = child.communicate(timeout=120)
            self.assertNotEqual(child.returncode, 0)
            self.assertIn("KeyboardInterrupt", err)
            with sqlite3.connect(db) as con:
                status, ended, end = con.execute("SELECT status, ended_ms, end_ms FROM runs").fetchone()
                rows = con.execute("SELECT count(*) FROM site_series").fetchone()[0]
            self.assertEqual(status, "interrupted")
            self.assertLess(ended, end)
            self.assertGreater(rows, 0)


class CompareTest(unittest.TestCase):
    def test_one_row_per_strategy_and_seed(self):
        frame = evtwin.compare(QUICKSTART, ["uncontrolled", "edf"], seeds=2)
        self.assertEqual(list(frame["strategy"]), ["uncontrolled", "edf", "uncontrolled", "edf"])
        self.assertEqual(list(frame["seed"]), [1, 1, 2, 2])
        results = frame.attrs["results"]
        for _, row in frame.iterrows():
            self.assertEqual(results.kpis(row["run_id"])["energy_cost"], row["energy_cost"])
        # EDF keeps the transformer limit by itself; uncontrolled leans on load management.
        self.assertTrue((frame["peak_import"] <= 150 + 1e-6).all())


class ErrorTest(unittest.TestCase):
    def write(self, text):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        path = os.path.join(folder.name, "broken.lua")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_broken_scenario_names_file_and_line(self):
        path = self.write('scenario { name = "x", duration = days(1) }\ngrid { import_kw = }\n')
        with self.assertRaises(evtwin.ScenarioError) as caught:
            evtwin.run(path)
        self.assertIn("broken.lua:2", str(caught.exception))
        self.assertIsInstance(caught.exception, evtwin.Error)

    def test_missing_scenario(self):
        with self.assertRaisesRegex(evtwin.ScenarioError, "nowhere.lua"):
            evtwin.run("nowhere.lua")

    def test_unknown_strategy(self):
        with self.assertRaisesRegex(evtwin.PluginError, "no_such_strategy"):
            evtwin.run(QUICKSTART, strategy="no_such_strategy")

    def test_not_a_results_database(self):
        path = self.write("not a database")
        with self.assertRaises(evtwin.ResultsError):
            evtwin.read(path)

    def test_unknown_table_and_run(self):
        r = evtwin.run(QUICKSTART, strategy="uncontrolled", seed=1)
        with self.assertRaisesRegex(evtwin.ResultsError, "no_table"):
            r.results.table("no_table")
        with self.assertRaises(evtwin.ResultsError):
            r.results.table("sessions", run=999)

    def test_strategy_must_decide(self):
        with self.assertRaisesRegex(TypeError, "decide"):
            evtwin.run(QUICKSTART, strategy=object())


if __name__ == "__main__":
    unittest.main()
