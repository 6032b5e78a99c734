"""A charging strategy written in Python: earliest deadline first, the same algorithm as the C++
plugin `edf` (plugins/baseline/edf.cpp), run in the same engine with the same limit checks.

The vehicle that declared the earliest departure gets its full rate first, then the next, as far as
the node limits and phase constraints of the site allow. Run it next to the plugin:

    PYTHONPATH=build/python python3 examples/python/edf_strategy.py scenarios/quickstart.lua --seed 3
"""
import argparse
import math

import evtwin

EPS = 1e-9
NONE = 0xFFFFFFFF  # no parent, no session
UNUSABLE = (0, 3, 4)  # pilot states A (no vehicle), E and F (error): no power


def phasor_room(s_re, s_im, d_re, d_im, limit):
    """How far a current phasor sum may move along d before its magnitude reaches the limit."""
    slack = limit * limit - (s_re * s_re + s_im * s_im)
    if not slack > 0.0:
        return 0.0
    d2 = d_re * d_re + d_im * d_im
    if d2 == 0.0 or math.isinf(limit):
        return math.inf
    b = s_re * d_re + s_im * d_im
    root = math.sqrt(b * b + d2 * slack)
    return slack / (b + root) if b > 0.0 else (root - b) / d2


class Headroom:
    """The power still free above each connector as power is handed out: node flows up the site tree
    and the current phasor of every phase constraint."""

    def __init__(self, obs, connector_nodes):
        nodes = obs.nodes
        self.parent = nodes["parent"].tolist()
        self.import_limit = nodes["import_limit_kw"].tolist()
        self.flow = nodes["fixed_flow_kw"].tolist()
        self.node_of = connector_nodes
        # Per connector: [(constraint, coefficient * amps_per_kw, cos, sin)]; per constraint: limit, phasor.
        self.terms = {}
        self.limit, self.phasor = [], []
        for k, (limit, terms) in enumerate(obs.phase_constraints):
            self.limit.append(limit)
            self.phasor.append([0.0, 0.0])
            for c, coefficient, amps_per_kw, cos, sin in terms.tolist():
                self.terms.setdefault(c, []).append((k, coefficient, amps_per_kw, cos, sin))

    def charge_room(self, c):
        room = math.inf
        n = self.node_of[c]
        while n != NONE:
            room = min(room, self.import_limit[n] - self.flow[n])
            n = self.parent[n]
        room = max(0.0, room)
        for k, coefficient, amps_per_kw, cos, sin in self.terms.get(c, ()):
            amps = 1.0 * coefficient * amps_per_kw
            s = self.phasor[k]
            room = min(room, phasor_room(s[0], s[1], amps * cos, amps * sin, self.limit[k]))
        return room

    def take(self, c, kw):
        n = self.node_of[c]
        while n != NONE:
            self.flow[n] += kw
            n = self.parent[n]
        for k, coefficient, amps_per_kw, cos, sin in self.terms.get(c, ()):
            amps = coefficient * kw * amps_per_kw
            self.phasor[k][0] += amps * cos
            self.phasor[k][1] += amps * sin


def feasible_setpoint_below(max_kw, min_kw, setpoints, kw):
    """The largest setpoint the charger can hold that does not exceed kw."""
    kw = min(kw, max_kw)
    if setpoints:
        best = 0.0
        for s in setpoints:
            if s <= kw + 1e-9 and s > best:
                best = s
        return best
    return 0.0 if kw + 1e-9 < min_kw else kw


def choose_setpoint(max_kw, min_kw, setpoints, want, room):
    """The smallest setpoint that covers the vehicle if one fits, else the largest one that fits."""
    cap = feasible_setpoint_below(max_kw, min_kw, setpoints, room)
    if cap <= want + EPS:
        return cap
    if not setpoints:
        return max(want, min_kw)
    best = cap
    for s in setpoints:
        if s >= want - EPS and s < best:
            best = s
    return best


class EarliestDeadlineFirst:
    name = "edf_python"
    version = "1.0.0"

    def __init__(self):
        self.setpoints = None  # per connector, its allowed setpoints (the site does not change)

    def decide(self, obs):
        connectors = obs.connectors
        if self.setpoints is None:
            self.setpoints = [obs.setpoints(c).tolist() for c in range(len(connectors))]
        node, max_kw, min_kw, state = (connectors[f].tolist() for f in ("node", "max_kw", "min_kw", "state"))
        sessions = obs.sessions
        order = []
        for c, arrival, declared, remaining, max_charge in zip(
                *(sessions[f].tolist() for f in ("connector", "arrival", "declared_departure", "remaining_kwh",
                                                 "max_charge_kw"))):
            if c >= len(node) or remaining <= EPS or state[c] in UNUSABLE:
                continue
            want = min(max_charge, max_kw[c])
            if want > EPS:
                order.append((declared, arrival, c, want))
        order.sort()  # earliest declared departure, then earliest arrival, then connector
        room = Headroom(obs, node)
        setpoints = [0.0] * len(node)
        for _, _, c, want in order:
            kw = choose_setpoint(max_kw[c], min_kw[c], self.setpoints[c], want, room.charge_room(c))
            room.take(c, kw)
            setpoints[c] = kw
        return setpoints


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    python_run = evtwin.run(args.scenario, strategy=EarliestDeadlineFirst(), seed=args.seed)
    plugin_run = evtwin.run(args.scenario, strategy="edf", seed=args.seed)
    print(f"{'KPI':<28}{'Python EDF':>16}{'plugin edf':>16}")
    for name in ("energy_cost", "demand_charge", "energy_delivered", "energy_served", "peak_import",
                 "limit_violations"):
        print(f"{name:<28}{python_run.kpis[name]:>16.3f}{plugin_run.kpis[name]:>16.3f}")
    same = all(python_run.table(t).equals(plugin_run.table(t))
               for t in ("sessions", "site_series", "connector_series", "violations"))
    print(f"results tables identical: {same}; simulation {python_run.wall_s:.3f} s (Python) "
          f"and {plugin_run.wall_s:.3f} s (plugin)")


if __name__ == "__main__":
    main()
