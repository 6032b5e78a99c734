"""evtwin from Python: run scenarios under any strategy (a plugin or a Python object), read results
databases as pandas DataFrames, and step the engine as Gymnasium-style reinforcement-learning
environments. docs/python.md describes the API.

    import evtwin
    run = evtwin.run("scenarios/quickstart.lua", strategy="edf", seed=7)
    run.kpis["energy_cost"], run.sessions.head()
"""
try:
    from ._evtwin import (
        DataError,
        Error,
        Observation,
        PluginError,
        ResultsError,
        ScenarioError,
        StrategyError,
    )
    from .env import Box, Env, VecEnv
    from .results import Results, Run, read
    from .runs import compare, load, run
except ImportError as error:
    from ._interpreter import explained

    raise explained(error) from error

__all__ = [
    "Box", "DataError", "Env", "Error", "Observation", "PluginError", "Results", "ResultsError", "Run",
    "ScenarioError", "StrategyError", "VecEnv", "compare", "load", "read", "run",
]

from . import gym as _gym  # registers the environments with Gymnasium when it is installed

_gym.register()
