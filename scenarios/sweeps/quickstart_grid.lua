-- quickstart_grid.lua: how much transformer does the quickstart car park need, under each baseline?
--
-- 5 baseline strategies x 4 transformer sizes x 50 seeds (50 weeks of random arrivals) = 1,000 runs
-- of scenarios/quickstart.lua. Every run has a stable index and a key naming exactly what it runs;
-- adding a seed or a size and planning again keeps every index and adds the new runs after them.
--
--   evtwin sweep plan scenarios/sweeps/quickstart_grid.lua --out grid
--   evtwin sweep run grid                  (a process per run, as many at once as there are cores)
--   evtwin sweep report grid               (mean and 95 % interval over the seeds, and report.csv)
--   evtwin sweep merge grid --db grid.db   (every run in one results database)
--   evtwin sweep submit grid               (the same on a Slurm cluster: a job array)
-- docs/sweeps.md describes the file and the commands.
sweep {
  name = "quickstart_grid",
  scenarios = { "../quickstart.lua" },          -- relative to this file
  strategies = { "uncontrolled", "fcfs", "edf", "llf", "round_robin" },
  seeds = range(1, 50),
  params = { transformer_kw = { 60, 90, 120, 150 } },   -- -D transformer_kw=...
}
