"""evtwin imported by another interpreter than the one it was built for says which one to use."""
import os
import sys
import unittest

from evtwin import _interpreter


class InterpreterTest(unittest.TestCase):
    def test_another_interpreter_is_told_which_to_use(self):
        error = _interpreter.explained(ImportError("No module named 'numpy'"), "/opt/other/bin/python3")
        self.assertIsInstance(error, ImportError)
        for part in (_interpreter.INTERPRETER, "/opt/other/bin/python3", "numpy"):
            self.assertIn(part, str(error))

    def test_the_built_interpreter_gets_its_error_as_it_is(self):
        original = ImportError("No module named 'pandas'")
        self.assertIs(_interpreter.explained(original, _interpreter.INTERPRETER), original)

    def test_the_suite_runs_under_the_interpreter_the_module_was_built_for(self):
        self.assertEqual(os.path.realpath(_interpreter.INTERPRETER), os.path.realpath(sys.executable))


if __name__ == "__main__":
    unittest.main()
