"""Python strategies: run in the same engine as the plugins, with the same checks and violations.
The Python EDF of examples/python gives results tables identical to the C++ edf plugin's."""
import math
import sys
import unittest

import numpy as np

import evtwin
from support import EXAMPLES, QUICKSTART, scenario

sys.path.insert(0, str(EXAMPLES))
from edf_strategy import EarliestDeadlineFirst  # noqa: E402

SCENARIO = evtwin.load(QUICKSTART)


def dump_without_strategy(run):
    """The run's results tables as text, the runs row's strategy name and version left out."""
    lines = run.results.results_dump(run.run_id).splitlines()
    runs_row = lines[1].split("|")
    del runs_row[2:4]  # scenario_name|scenario_file|strategy_name|strategy_version|...
    return "\n".join([lines[0], "|".join(runs_row)] + lines[2:])


class FullRate:
    """Every connector at its full rating: the engine must clip it to the limits."""
    name = "full_rate"

    def decide(self, obs):
        return obs.connectors["max_kw"]


class PythonEdfTest(unittest.TestCase):
    def test_identical_to_the_cpp_plugin(self):
        # quickstart: node limits; Caltech: phase constraints, continuous and with pilot sets, in plain
        # decision periods (in ACN-compatible mode, the scenario's own, edf is acnportal's algorithm).
        cases = (("quickstart.lua", 3, {}), ("quickstart.lua", 6, {"transformer_kw": 60}),
                 ("caltech_acn.lua", None, {"cap_kw": 50, "mode": "decision_period"}),
                 ("caltech_acn.lua", None, {"variant": "detailed", "mode": "decision_period"}))
        for name, seed, params in cases:
            with self.subTest(scenario=name, seed=seed, params=params):
                loaded = evtwin.load(scenario(name), params=params)
                python_run = evtwin.run(loaded, strategy=EarliestDeadlineFirst(), seed=seed)
                plugin_run = evtwin.run(loaded, strategy="edf", seed=seed)
                self.assertEqual(python_run.strategy, "edf_python")
                self.assertGreater(python_run.kpis["energy_delivered"], 100.0)
                self.assertEqual(dump_without_strategy(python_run), dump_without_strategy(plugin_run))


class PythonStrategyTest(unittest.TestCase):
    def test_limits_are_enforced_and_recorded(self):
        r = evtwin.run(SCENARIO, strategy=FullRate(), seed=1)
        self.assertGreater(r.kpis["limit_violations"], 0)
        self.assertEqual(len(r.violations), r.kpis["limit_violations"])
        self.assertLessEqual(r.site_series["grid_kw"].max(), 150 + 1e-6)
        self.assertTrue((r.violations["applied_kw"] <= r.violations["requested_kw"] + 1e-9).all())

    def test_observation_fields(self):
        seen = {}

        class Look:
            def decide(self, obs):
                if obs.now >= 1719795600000 + 3 * 3600 * 1000 and not seen:  # 10:00 Seoul on Monday
                    seen["now"] = obs.now
                    seen["period"] = obs.control_period
                    seen["run"] = (obs.run_start, obs.run_end)
                    seen["sessions"] = obs.sessions.copy()
                    seen["connectors"] = obs.connectors.copy()
                    seen["nodes"] = obs.nodes.copy()
                    ess = obs.ess[0]
                    seen["ess"] = (len(obs.ess), ess.capacity_kwh, ess.rated_charge_kw, ess.rated_discharge_kw,
                                   ess.end_value_per_kwh, math.isnan(ess.end_soc), ess.grid_charge,
                                   ess.grid_discharge, ess.priority)
                    seen["forecast"] = {k: np.copy(v) for k, v in obs.forecast.items() if k != "node_fixed_flow"}
                    seen["demand"] = obs.demand.rate_per_kw
                    seen["economics"] = obs.economics.charging_price_per_kwh
                    seen["previous"] = tuple(np.copy(p) for p in obs.previous)
                return np.zeros(len(obs.connectors))

        evtwin.run(SCENARIO, strategy=Look(), seed=1)
        self.assertEqual(seen["period"], 15 * 60 * 1000)
        self.assertEqual(seen["run"][0], 1719759600000)  # quickstart starts on Monday 1 July 00:00 Seoul
        self.assertGreater(seen["run"][1], seen["now"])
        self.assertEqual(len(seen["connectors"]), 20)
        self.assertGreater(len(seen["sessions"]), 0)
        s = seen["sessions"]
        self.assertTrue(np.all((s["soc"] >= 0) & (s["soc"] <= 1)))
        self.assertTrue(np.all(s["declared_departure"] > seen["now"]))
        self.assertTrue(np.all(s["expected_departure"] == s["declared_departure"]))  # no foresight
        self.assertTrue(np.all(s["remaining_kwh"] <= s["requested_kwh"]))
        self.assertTrue(np.all(s["charge_efficiency"] == seen["connectors"]["efficiency"][s["connector"]]))
        self.assertTrue(np.all(seen["connectors"]["efficiency"] == 0.97))  # quickstart's chargers
        self.assertEqual(seen["nodes"]["import_limit_kw"][0], 150.0)
        # quickstart's battery, its ratings, and nothing wanted of it at the end
        self.assertEqual(seen["ess"], (1, 100.0, 50.0, 50.0, 0.0, True, True, True, 0))
        self.assertEqual(len(seen["forecast"]["import_price"]), 96)  # 24 h of 15-minute steps
        self.assertGreater(seen["demand"], 0.0)
        self.assertEqual(seen["economics"], 350.0)
        connectors_kw, ess_kw = seen["previous"]
        self.assertTrue(np.all(connectors_kw == 0.0))
        self.assertEqual(list(ess_kw), [0.0])  # one setpoint per battery

    def test_views_are_read_only_and_expire(self):
        kept = []

        class Keep:
            def decide(self, obs):
                kept.append((obs, obs.connectors.flags.writeable))
                return np.zeros(len(obs.connectors))

        evtwin.run(SCENARIO, strategy=Keep(), seed=1)
        observation, writeable = kept[0]
        self.assertFalse(writeable)
        with self.assertRaisesRegex(Exception, "no longer valid"):
            observation.sessions

    def test_a_view_kept_past_the_call_is_an_error(self):
        class Hoard:
            def __init__(self):
                self.kept = []

            def decide(self, obs):
                self.kept.append(obs.sessions["soc"])  # a view of a view: still the engine's memory
                return np.zeros(len(obs.connectors))

        with self.assertRaisesRegex(ValueError, r"obs.sessions \(or a view of it\) was kept past the decide\(\) call"):
            evtwin.run(SCENARIO, strategy=Hoard())

    def test_ess_setpoint_and_foresight(self):
        class NightBattery:
            foresight_h = 24

            def __init__(self):
                self.upcoming = 0
                self.expected_departure = {}
                self.declared_departure = {}

            def decide(self, obs):
                self.upcoming = max(self.upcoming, len(obs.upcoming))
                self.wear_fields = {"wear_per_kwh", "wear_per_kwh_h_high"} <= set(obs.upcoming.dtype.names)
                needs = {"min_charge_kw", "goal_by", "goal_kwh", "value_per_kwh"}
                self.needs_fields = needs <= set(obs.sessions.dtype.names) & set(obs.upcoming.dtype.names)
                self.no_needs = getattr(self, "no_needs", True) and all(
                    s["min_charge_kw"] == 0 and s["goal_kwh"] == 0 for s in obs.sessions
                )
                for s in obs.sessions:
                    self.expected_departure[int(s["id"])] = int(s["expected_departure"])
                    self.declared_departure[int(s["id"])] = int(s["declared_departure"])
                hour = (obs.now // 3600000 + 9) % 24  # Seoul
                return np.zeros(len(obs.connectors)), [50.0 if hour < 6 else -50.0 if 10 <= hour < 12 else 0.0]

        strategy = NightBattery()
        r = evtwin.run(SCENARIO, strategy=strategy, seed=1)
        self.assertGreater(strategy.upcoming, 0)
        self.assertTrue(strategy.wear_fields)
        self.assertTrue(strategy.needs_fields)  # the drivers' needs (none in the quickstart)
        self.assertTrue(strategy.no_needs)
        # The perfect demand forecaster: each vehicle plugged in is expected to leave when it does.
        departures = r.sessions.set_index("session")["departure_ms"]
        self.assertNotEqual(strategy.expected_departure, strategy.declared_departure)  # quickstart's drivers misjudge
        for session, expected in strategy.expected_departure.items():
            self.assertEqual(expected, departures[session])
        self.assertGreater(r.kpis["ess_throughput"], 100.0)
        soc = r.site_series["ess_soc"]
        self.assertTrue(((soc >= 0.1 - 1e-9) & (soc <= 0.9 + 1e-9)).all())

    def test_wrong_answers_are_errors_naming_the_time(self):
        class Short:
            def decide(self, obs):
                return [0.0] * 3

        class NotFinite:
            def decide(self, obs):
                return [math.nan] * len(obs.connectors)

        with self.assertRaisesRegex(ValueError, r"decide\(\) at \d+ ms: expected 20 setpoints \(one per connector\), got 3"):
            evtwin.run(SCENARIO, strategy=Short())
        with self.assertRaisesRegex(ValueError, "connector 0 is not finite"):
            evtwin.run(SCENARIO, strategy=NotFinite())

        class NegativePvLimit:
            def decide(self, obs):
                return np.zeros(len(obs.connectors)), [0.0], -1.0

        with self.assertRaisesRegex(ValueError, r"pv_limit_kw must be >= 0 \(math.inf: no limit\)"):
            evtwin.run(SCENARIO, strategy=NegativePvLimit())

        class EssAsANumber:
            def decide(self, obs):
                return np.zeros(len(obs.connectors)), 5.0

        with self.assertRaisesRegex(ValueError, r"ess_kw must be a sequence of 1 numbers \(one per battery in obs.ess\)"):
            evtwin.run(SCENARIO, strategy=EssAsANumber())

    def test_a_pv_limit_curtails_the_sites_pv(self):
        class NoPv:
            def decide(self, obs):
                return np.zeros(len(obs.connectors)), [0.0], 0.0

        without = evtwin.run(SCENARIO, strategy=FullRate(), seed=1)
        r = evtwin.run(SCENARIO, strategy=NoPv(), seed=1)
        self.assertGreater(without.kpis["pv_energy"], 0.0)
        self.assertEqual(r.kpis["pv_energy"], 0.0)
        self.assertAlmostEqual(r.kpis["pv_curtailed"], without.kpis["pv_energy"] + without.kpis["pv_curtailed"], places=6)

    def test_the_strategys_own_exception_comes_back(self):
        class Broken:
            def decide(self, obs):
                raise KeyError("my bug")

        with self.assertRaisesRegex(KeyError, "my bug"):
            evtwin.run(SCENARIO, strategy=Broken())



class FeederObservationTest(unittest.TestCase):
    def test_a_site_on_a_feeder_sees_its_buses_voltages(self):
        class Watch:
            name = "watch"

            def __init__(self):
                self.seen = []

            def decide(self, obs):
                f = obs.feeder
                self.seen.append(
                    None
                    if f is None
                    else (f["v_min_pu"], f["v_max_pu"], f["voltages"].copy(), f["loadings"].copy(), f["max_loading"])
                )
                return obs.connectors["max_kw"]

        watch = Watch()
        evtwin.run(evtwin.load(scenario("ieee34_feeder.lua")), strategy=watch)
        self.assertIsNone(watch.seen[0])  # the feeder is first solved after the first decision
        shown = [s for s in watch.seen if s is not None]
        self.assertEqual(len(shown), len(watch.seen) - 1)
        v_min, v_max, voltages, loadings, max_loading = shown[-1]
        self.assertEqual((v_min, v_max, max_loading), (0.9, 1.1, 1.0))
        # Each site's supply path from the substation: its branches, node by node, all loaded.
        nodes = loadings["node"].tolist()
        self.assertEqual(sorted(set(nodes)), [1, 2])
        self.assertEqual(nodes, sorted(nodes))
        branches = loadings["branch"].tolist()
        depot = [b for n, b in zip(nodes, branches) if n == 1]
        garage = [b for n, b in zip(nodes, branches) if n == 2]
        self.assertEqual(depot[0], garage[0])  # both paths leave the substation on the same branch
        self.assertTrue(all(0.0 < x < 2.0 for x in loadings["loading"].tolist()), loadings["loading"])
        # The depot (node 1) at bus 890 and the garage (node 2) at bus 840, three phases each.
        self.assertEqual(voltages["node"].tolist(), [1, 1, 1, 2, 2, 2])
        self.assertEqual(voltages["phase"].tolist(), [1, 2, 3, 1, 2, 3])
        lowest = min(float(s[2]["v_pu"].min()) for s in shown)
        self.assertTrue(0.85 < lowest < 0.95, lowest)

    def test_a_strategy_asks_how_the_feeders_voltages_and_loadings_move_with_its_import(self):
        class Ask:
            name = "ask"

            def __init__(self):
                self.answers = []

            def decide(self, obs):
                f = obs.feeder
                if f is not None and len(self.answers) < 3:
                    attached = f["attached"].copy()
                    now = obs.feeder_voltages_at()
                    more = obs.feeder_voltages_at(attached["import_kw"] + [50.0, 0.0])
                    asked_now = obs.feeder_voltages_at(at_ms=obs.now)
                    loadings = obs.feeder_loadings_at()
                    loadings_more = obs.feeder_loadings_at(attached["import_kw"] + [50.0, 0.0])
                    self.answers.append((attached, f["voltages"].copy(), now, more, asked_now,
                                         f["loadings"].copy(), loadings, loadings_more))
                return obs.connectors["max_kw"]

        ask = Ask()
        evtwin.run(evtwin.load(scenario("ieee34_feeder.lua")), strategy=ask)
        self.assertEqual(len(ask.answers), 3)
        for answer in ask.answers:
            attached, voltages, (v_now, slopes), (v_more, _), (v_asked, slopes_asked) = answer[:5]
            self.assertEqual(attached["node"].tolist(), [1, 2])  # the depot and the garage
            self.assertEqual(slopes.shape, (6, 2))
            self.assertTrue((slopes < 0).all(), slopes)  # importing lowers every voltage
            # The voltages now are the recorded ones (to their step of 1e-4 per unit)...
            self.assertTrue((abs(v_now - voltages["v_pu"]) <= 0.5e-4 + 1e-12).all())
            # ...and 50 kW more at the depot lower them about as its slopes say.
            predicted = v_now + 50.0 * slopes[:, 0]
            self.assertTrue((abs(v_more - predicted) < 1e-3).all(), (v_more, predicted))
            # Asked for the present instant by time, the same linearisation as the default.
            self.assertTrue((abs(v_asked - v_now) < 1e-9).all(), (v_asked, v_now))
            self.assertTrue((abs(slopes_asked - slopes) < 1e-9).all())
            # The loadings of the supply paths the same way: the recorded ones now, and 50 kW more
            # at the depot load its path about as its slopes say (within a tenth of the change: a
            # transformer's kVA curves with the power it carries).
            recorded, (l_now, l_slopes), (l_more, _) = answer[5:]
            self.assertEqual(l_slopes.shape, (len(recorded), 2))
            self.assertTrue((abs(l_now - recorded["loading"]) <= 0.5e-4 + 1e-12).all())
            change = 50.0 * l_slopes[:, 0]
            self.assertGreater(change.max(), 0.05)  # the lateral's 500 kVA transformer: 50 kW is a tenth
            self.assertTrue((abs(l_more - (l_now + change)) <= 0.1 * abs(change) + 1e-4).all(), (l_more, l_now))

        class OneImportTooFew:
            name = "one_import_too_few"

            def decide(self, obs):
                if obs.feeder is not None:
                    obs.feeder_voltages_at([10.0])
                return obs.connectors["max_kw"]

        with self.assertRaisesRegex(ValueError, "2 imports wanted"):
            evtwin.run(evtwin.load(scenario("ieee34_feeder.lua")), strategy=OneImportTooFew())

    def test_a_site_without_a_feeder_sees_none(self):
        class Look:
            name = "look"
            feeders = []

            def decide(self, obs):
                self.feeders.append(obs.feeder)
                return obs.connectors["max_kw"] * 0

        look = Look()
        evtwin.run(SCENARIO, strategy=look, seed=1)
        self.assertTrue(look.feeders)
        self.assertTrue(all(f is None for f in look.feeders))


if __name__ == "__main__":
    unittest.main()
