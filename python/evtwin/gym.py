"""Gymnasium registration, when Gymnasium is installed (it is not a Debian package): gymnasium.make(
"evtwin/Site-v0", scenario="scenarios/quickstart.lua") and gymnasium.make_vec(..., num_envs=16)."""

ENV_ID = "evtwin/Site-v0"


def register():
    try:
        import gymnasium
    except ImportError:
        return False
    if ENV_ID not in gymnasium.registry:
        gymnasium.register(id=ENV_ID, entry_point="evtwin.env:Env", vector_entry_point="evtwin.env:VecEnv")
    return True
