"""credo from Python: Gymnasium-exact MuJoCo environments stepped in C++.

    import credo
    env = credo.make("Hopper-v5")          # a gymnasium.Env, bit for bit Gymnasium's Hopper-v5
    obs, info = env.reset(seed=0)
    envs = credo.make_vec("Hopper-v5", num_envs=16, threads=2)   # a gymnasium.vector.VectorEnv
    demos = credo.load_demos("hopper.h5", env="Hopper-v5")      # numpy arrays, checked as credo train checks
    policy = credo.load_policy("experts/sac-hopper-v5.pt")      # policy(obs) -> action, as credo collect acts
    summary = credo.train("runs/td3", env="Hopper-v5", algo="td3", steps=100_000)   # the credo train run folder
    reward = credo.load_reward("runs/td3-gail")  # reward(obs, act, next_obs, terminated): an imitation run's reward

docs/python.md in credo's repository has the full guide.
"""
from credo._compat import check_versions as _check_versions

_check_versions()

from credo.envs import CredoEnv, env_ids, make  # noqa: E402  (after the check: the extension links mujoco)
from credo._core import __version__  # noqa: E402
from credo.demos import Demonstrations, collect, load_demos  # noqa: E402
from credo.policy import Policy, load_policy  # noqa: E402
from credo.reward import Reward, load_reward  # noqa: E402
from credo.training import train  # noqa: E402
from credo.vector import CredoVectorEnv, make_vec  # noqa: E402

__all__ = ["CredoEnv", "CredoVectorEnv", "Demonstrations", "Policy", "__version__", "collect", "env_ids",
           "load_demos", "load_policy", "load_reward", "make", "make_vec", "Reward", "train"]
