"""Every example under examples/python runs, on a short budget, and prints what it promises."""
import csv
import os
import subprocess
import sys
import tempfile
import unittest

from support import EXAMPLES, QUICKSTART


def run_example(name, *args):
    done = subprocess.run([sys.executable, str(EXAMPLES / name), *map(str, args)], capture_output=True, text=True,
                          timeout=500)
    if done.returncode != 0:
        raise AssertionError(f"{name} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class ExamplesTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.folder.cleanup()

    def test_run_and_compare(self):
        plot = os.path.join(self.folder.name, "site.png")
        out = run_example("run_and_compare.py", QUICKSTART, "--strategies", "uncontrolled,edf", "--seeds", 2,
                          "--plot", plot)
        self.assertIn("energy_cost", out)
        self.assertIn("edf", out)
        with open(plot, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_edf_strategy(self):
        out = run_example("edf_strategy.py", QUICKSTART, "--seed", 2)
        self.assertIn("results tables identical: True", out)

    def test_ppo_train(self):
        curve = os.path.join(self.folder.name, "curve.csv")
        out = run_example("ppo_train.py", QUICKSTART, "--steps", 8192, "--envs", 4, "--n-steps", 512,
                          "--eval-every", 4096, "--eval-seeds", 1, "--test-seeds", "4,5", "--curve", curve)
        with open(curve) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([int(r["steps"]) for r in rows], [0, 4096, 8192])
        self.assertTrue(all(float(r["evaluation_cost"]) > 0 for r in rows))
        self.assertIn("PPO", out)
        self.assertIn("mean", out)


if __name__ == "__main__":
    unittest.main()
