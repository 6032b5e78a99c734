"""Paths the Python suites share: the source tree's scenarios and examples."""
import os
import pathlib

SOURCE = pathlib.Path(os.environ.get("EVTWIN_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
QUICKSTART = SOURCE / "scenarios" / "quickstart.lua"
EXAMPLES = SOURCE / "examples" / "python"


def scenario(name):
    return SOURCE / "scenarios" / name
