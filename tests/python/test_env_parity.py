"""Parity of credo's environments with Gymnasium's Python implementation.

For each env id, seed and option set: Gymnasium's env is reset with the seed (its own noise, drawn by numpy), credo's
env is forced to the same qpos/qvel through `credo env rollout`, both step through the same action sequence
(uniform in 1.5x the action bounds, so some actions are outside them and exercise MuJoCo's ctrl clamping and
Pendulum's torque clip) for a full episode or until termination, and observation, reward, terminated, truncated
and every info value are compared step by step. Both sides use the same libmujoco, so the tolerance is tight.
"""
import gymnasium as gym
import mujoco
import numpy as np
import pytest

# Absolute tolerance. Both sides run the same libmujoco build and the same libm on the same inputs, and credo
# reproduces Gymnasium's arithmetic (operation order, float32 terms, libm pow), so the results are bit-identical.
TOLERANCE = 0.0

MUJOCO_IDS = ["Hopper-v4", "Hopper-v5", "Walker2d-v4", "Walker2d-v5", "HalfCheetah-v4", "HalfCheetah-v5"]
ALL_IDS = ["Pendulum-v1"] + MUJOCO_IDS

# Non-default constructor options (Gymnasium keyword arguments) to check that credo applies them the same way.
OPTION_CASES = {
    "Hopper-v5": {"forward_reward_weight": 2.0, "ctrl_cost_weight": 0.05, "healthy_reward": 0.5,
                  "healthy_angle_range": [-0.3, 0.3], "reset_noise_scale": 0.02,
                  "exclude_current_positions_from_observation": False, "frame_skip": 3},
    "Hopper-v4": {"terminate_when_unhealthy": False, "healthy_z_range": [0.9, "inf"]},
    "Walker2d-v5": {"xml_file": "walker2d.xml", "healthy_z_range": [0.9, 1.9], "ctrl_cost_weight": 0.01},
    "Walker2d-v4": {"terminate_when_unhealthy": False, "healthy_reward": 2.0},
    "HalfCheetah-v5": {"forward_reward_weight": 0.5, "exclude_current_positions_from_observation": False},
    "HalfCheetah-v4": {"ctrl_cost_weight": 0.2, "reset_noise_scale": 0.3},
    "Pendulum-v1": {"g": 9.81},
}


def to_gym_kwargs(options: dict) -> dict:
    """JSON option values to Gymnasium's Python kwargs ("inf" strings to floats, lists to tuples)."""
    def conv(v):
        if isinstance(v, list):
            return tuple(float(x) if isinstance(x, str) else x for x in v)
        return v
    return {k: conv(v) for k, v in options.items()}


def reference_episode(env_id, seed, options, action_dtype):
    env = gym.make(env_id, **to_gym_kwargs(options))
    obs0, reset_info = env.reset(seed=seed)
    base = env.unwrapped
    if env_id == "Pendulum-v1":
        qpos, qvel = [float(base.state[0])], [float(base.state[1])]
    else:
        qpos, qvel = base.data.qpos.tolist(), base.data.qvel.tolist()
    rng = np.random.default_rng(1000 + seed)
    low, high = env.action_space.low.astype(np.float64), env.action_space.high.astype(np.float64)
    actions, steps = [], []
    for _ in range(env.spec.max_episode_steps):
        a = rng.uniform(1.5 * low, 1.5 * high).astype(action_dtype)
        obs, reward, terminated, truncated, info = env.step(a)
        actions.append(a.astype(np.float64).tolist())
        steps.append((obs, float(reward), terminated, truncated, info))
        if terminated or truncated:
            break
    env.close()
    return qpos, qvel, obs0, reset_info, actions, steps


def assert_parity(env_id, seed, options, action_dtype, rollout):
    qpos, qvel, obs0, reset_info, actions, ref = reference_episode(env_id, seed, options, action_dtype)
    traj = rollout({"env": env_id, "options": options, "qpos": qpos, "qvel": qvel, "actions": actions,
                    "action_dtype": np.dtype(action_dtype).name})
    np.testing.assert_allclose(traj["obs0"], obs0, rtol=0, atol=TOLERANCE)
    assert set(traj["reset_info"]) == set(reset_info)
    for key, value in reset_info.items():
        assert traj["reset_info"][key] == pytest.approx(float(value), abs=TOLERANCE), key
    assert len(traj["steps"]) == len(ref), "episode lengths differ"
    assert traj["unused_actions"] == 0
    for t, (step, (obs, reward, terminated, truncated, info)) in enumerate(zip(traj["steps"], ref)):
        where = f"{env_id} seed {seed} step {t}"
        np.testing.assert_allclose(step["obs"], obs, rtol=0, atol=TOLERANCE, err_msg=where)
        assert step["reward"] == pytest.approx(reward, abs=TOLERANCE), where
        assert step["terminated"] == terminated, where
        assert step["truncated"] == truncated, where
        assert list(step["info"]) == list(info), where  # same keys, same order
        for key, value in info.items():
            assert step["info"][key] == pytest.approx(float(value), abs=TOLERANCE), f"{where} info {key}"


@pytest.mark.parametrize("seed", [0, 1, 2, 7])
@pytest.mark.parametrize("env_id", ALL_IDS)
def test_parity_default_options(env_id, seed, rollout):
    assert_parity(env_id, seed, {}, np.float64, rollout)


@pytest.mark.parametrize("env_id", ALL_IDS)
def test_parity_float32_actions(env_id, rollout):
    """Gymnasium computes the control cost (and Pendulum's torque terms) in float32 for float32 actions."""
    assert_parity(env_id, 3, {}, np.float32, rollout)


@pytest.mark.parametrize("env_id", sorted(OPTION_CASES))
def test_parity_with_options(env_id, rollout):
    assert_parity(env_id, 5, OPTION_CASES[env_id], np.float64, rollout)


def test_same_libmujoco_as_reference(credo_bin):
    """credo must run the very libmujoco the reference uses, or bit-level parity is luck."""
    import subprocess
    out = subprocess.run(["ldd", str(credo_bin)], capture_output=True, text=True, check=True).stdout
    line = next(l for l in out.splitlines() if "libmujoco" in l)
    assert f"libmujoco.so.{mujoco.__version__}" in line
    assert str(np.__file__).split("site-packages")[0] in line, line
