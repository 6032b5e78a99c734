#!/usr/bin/python3
"""Hold model in SimPy: the same model as BM_HoldModel in bench/event_queue_bench.cpp.

N events are pending at all times; processing one schedules the next one at now + an exponential
delay (mean 1000 ms, rounded to whole ms, drawn up front from a seeded generator so the timing does
not include drawing them). Two formulations, both the least work SimPy needs to process an event
and schedule the next:

  process   N processes, each looping `yield env.timeout(delay)` (idiomatic SimPy): every event is a
            Timeout popped from SimPy's heap whose processing resumes a generator, which schedules
            the next Timeout.
  callback  N chains of bare Timeout events: processing one runs a callback that creates the next
            Timeout (no generator); the closest SimPy gets to a pure event queue.

Prints one line of JSON: {"mode", "pending", "events", "seconds", "events_per_s"}. Only events
processed after all N chains are running are counted, over at least --seconds of CPU time of this
process (time.process_time(), as Google Benchmark's events_per_s is per CPU second), so that other
load on the machine slows the measurement down but does not skew the rate much.

The initial delays are drawn from the same exponential distribution as later ones, which is already
the steady state of a hold model with exponential delays (memoryless), so no long warm-up is needed.
"""
import argparse
import itertools
import json
import random
import time

import simpy


def make_delays(count, mean_ms, seed):
    rng = random.Random(seed)
    return [float(round(rng.expovariate(1.0 / mean_ms))) for _ in range(count)]


def build(env, mode, pending, delays, counter):
    next_delay = itertools.cycle(delays).__next__

    if mode == "process":
        def holder():
            while True:
                yield env.timeout(next_delay())
                counter[0] += 1

        for _ in range(pending):
            env.process(holder())
    else:
        def on_event(_event):
            counter[0] += 1
            env.timeout(next_delay()).callbacks.append(on_event)

        for _ in range(pending):
            env.timeout(next_delay()).callbacks.append(on_event)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=("process", "callback"), default="process")
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--mean-ms", type=float, default=1000.0)
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum measured CPU time")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if args.pending < 1 or args.seconds <= 0 or args.mean_ms <= 0:
        parser.error("--pending, --seconds and --mean-ms must be positive")

    env = simpy.Environment()
    counter = [0]
    delays = make_delays(max(1 << 18, 2 * args.pending), args.mean_ms, args.seed)
    build(env, args.mode, args.pending, delays, counter)
    # Let every chain get going (processes start with an Initialize event at time 0).
    env.run(until=1.0)

    # Run in slices of simulated time of about pending / 100 events each until enough time has passed.
    slice_ms = args.mean_ms / 100
    start_events, start = counter[0], time.process_time()
    elapsed = 0.0
    while elapsed < args.seconds:
        env.run(until=env.now + slice_ms)
        elapsed = time.process_time() - start
    events = counter[0] - start_events
    print(json.dumps({"mode": args.mode, "pending": args.pending, "events": events,
                      "seconds": round(elapsed, 3), "events_per_s": events / elapsed}))


if __name__ == "__main__":
    main()
