"""Adversarial imitation from the command line: the telemetry every run records, CREDO's clip bounding the rewards
and critic targets, an induced explosion that ends `diverged` with intact files, and bad input."""
import csv
import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest

EXPERTS = Path(__file__).resolve().parents[2] / "experts"
PENDULUM_EXPERT = EXPERTS / "sac-pendulum-v1.pt"
TELEMETRY = ["grad_norm_actor", "grad_norm_critic", "grad_norm_disc", "q_mean", "q_max", "reward_mean", "reward_max",
             "reward_min", "clip_fraction", "disc_acc_expert", "disc_acc_policy", "outlier_high", "outlier_low",
             "explosions", "eval_return", "eval_return_normalized"]
# A small, fast TD3 with frequent discriminator rounds.
FAST = ["hidden=32,32", "disc_hidden=32,32", "batch_size=64", "start_steps=500", "eval_episodes=2",
        "eval_interval=1000", "log_interval=250", "checkpoint_interval=1000", "disc_interval=250", "disc_updates=50",
        "disc_start=500"]


def run(credo_bin, *args, timeout=600):
    return subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def demos(credo_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("gail") / "pendulum.h5"
    proc = run(credo_bin, "collect", "--policy", PENDULUM_EXPERT, "--env", "Pendulum-v1", "--episodes", 10,
               "--seed", 100, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


def imitate(credo_bin, out, demos, *extra, algo="td3", steps=2000, seed=4):
    return run(credo_bin, "train", "--algo", algo, "--env", "Pendulum-v1", "--steps", steps, "--seed", seed,
               "--out", out, "--demos", demos, *FAST, *extra)


def rows(run_dir):
    with open(run_dir / "metrics.csv") as f:
        return list(csv.DictReader(f))


def floats(table, key):
    return [float(r[key]) for r in table if r[key] != ""]


def metrics_without_timing(run_dir):
    return [{k: v for k, v in r.items() if k not in ("sps", "wall_time_s")} for r in rows(run_dir)]


def test_imitation_run_records_the_telemetry(credo_bin, tmp_path, demos):
    out = tmp_path / "run"
    proc = imitate(credo_bin, out, demos)
    assert proc.returncode == 0, proc.stderr
    table = rows(out)
    assert set(TELEMETRY) <= set(table[0])
    assert len(table) == 8
    # Discriminator rounds from step 500 on: its statistics fill every row after that.
    for r in table[2:]:
        assert 0 <= float(r["disc_acc_expert"]) <= 1 and 0 <= float(r["disc_acc_policy"]) <= 1
        assert float(r["grad_norm_disc"]) > 0
        assert 0 <= float(r["outlier_high"]) <= 1 and 0 <= float(r["outlier_low"]) <= 1
    assert max(floats(table, "clip_fraction")) == 0.0  # no clip by default
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "finished"
    for key in ("explosion_count", "first_explosion_step", "max_grad_norm_critic", "expert_return", "random_return"):
        assert key in summary
    assert summary["expert_return"] == pytest.approx(
        json.loads(run(credo_bin, "demos", "info", demos, "--json", tmp_path / "i.json").stdout and
                   (tmp_path / "i.json").read_text())["return_mean"], abs=1e-3)
    # The normalised return: 0 for a random policy, 1 for the expert.
    last = table[-1]
    expected = (float(last["eval_return"]) - summary["random_return"]) / (summary["expert_return"] -
                                                                          summary["random_return"])
    assert float(last["eval_return_normalized"]) == pytest.approx(expected, rel=1e-6)
    events = (out / "events.csv").read_text().splitlines()
    assert events[0] == "step,event,name,value,threshold"


def test_induced_explosion_ends_diverged_with_intact_files(credo_bin, tmp_path, demos):
    """An absurd reward scale without the clip: the critic's gradient norm explodes at once and Q runs away
    (Adam limits its pace, so the bound is set low to see it within a test), the run stops as `diverged`, and
    everything it wrote stays readable."""
    out = tmp_path / "wild"
    proc = imitate(credo_bin, out, demos, "--reward", "gail", "--clip", "off", "reward_scale=1e9", "q_bound=1000",
                   "eval_interval=500", steps=4000)
    assert proc.returncode == 3, proc.stderr
    assert "diverged at step" in proc.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "diverged"
    assert 500 < summary["diverged_at_step"] < 4000
    assert summary["explosion_count"] >= 1 and summary["first_explosion_step"] <= summary["diverged_at_step"]
    assert summary["max_grad_norm_critic"] > 1e5
    table = rows(out)  # every row complete and parseable
    assert all(len(r) == len(table[0]) for r in table)
    assert int(table[-1]["step"]) <= summary["diverged_at_step"]
    events = list(csv.DictReader(open(out / "events.csv")))
    assert events[0]["event"] == "explosion" and events[-1]["event"] == "divergence"
    # The policy saved before the divergence still evaluates.
    assert run(credo_bin, "eval", "--policy", out / "best_policy.pt", "--env", "Pendulum-v1",
               "--episodes", 1).returncode == 0


def test_the_same_run_with_the_clip_stays_finite(credo_bin, tmp_path, demos):
    out = tmp_path / "credo"
    proc = imitate(credo_bin, out, demos, "--reward", "gail", "--clip", "5", "reward_scale=1e9", "q_bound=1000",
                   steps=4000)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "finished" and "diverged_at_step" not in summary
    table = rows(out)
    assert max(floats(table, "reward_max")) <= 5.0
    assert min(floats(table, "clip_fraction")[2:]) > 0.5  # the scale makes almost every reward hit the clip
    # Every learning reward <= 5, so every critic target <= 5 / (1 - gamma) = 500.
    assert all(math.isfinite(q) for q in floats(table, "q_max"))
    assert max(floats(table, "target_mean")) <= 500.0
    assert max(floats(table, "q_max")) <= 600.0


def test_continue_on_divergence_records_and_goes_on(credo_bin, tmp_path, demos):
    out = tmp_path / "on"
    proc = imitate(credo_bin, out, demos, "--reward", "gail", "--clip", "off", "reward_scale=1e9", "q_bound=1000",
                   "on_divergence=continue", steps=3000)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["diverged_at_step"] < 3000 and summary["steps"] == 3000


def test_ppo_imitates_with_rollout_rewards(credo_bin, tmp_path, demos):
    out = tmp_path / "ppo"
    proc = run(credo_bin, "train", "--algo", "ppo", "--env", "Pendulum-v1", "--steps", 4096, "--out", out,
               "--demos", demos, "--clip", "2", "eval_episodes=1")
    assert proc.returncode == 0, proc.stderr
    table = rows(out)
    assert max(floats(table, "reward_max")) <= 2.0
    assert floats(table, "grad_norm_disc")


def test_imitation_run_resumes(credo_bin, tmp_path, demos):
    out = tmp_path / "resume"
    proc = imitate(credo_bin, out, demos, steps=1000)
    assert proc.returncode == 0, proc.stderr
    proc = run(credo_bin, "train", "--resume", out, "--steps", 2000)
    assert proc.returncode == 0, proc.stderr
    steps = [int(r["step"]) for r in rows(out)]
    assert steps == list(range(250, 2001, 250))


@pytest.mark.parametrize("args, expected", [
    (["--reward", "wgan"], "unknown reward 'wgan'; credo has gail, airl, logd"),
    (["--clip", "0"], "clip must be a positive number, off or auto, got '0'"),
    (["--clip", "-5"], "clip must be a positive number, off or auto"),
    (["--clip", "lots"], "clip must be a positive number, off or auto, got 'lots'"),
    (["--clip", "5", "clip_low=9"], "'clip_low' must be below clip (5), got 9"),
    (["--clip", "auto", "clip_quantile=1.5"], "'clip_quantile' must be in (0, 1], got 1.5"),
    (["--clip", "auto", "clip_window=10"], "'clip_window' must be at least 100 rewards, got 10"),
    (["demo_subsample=0"], "'demo_subsample' must be >= 1"),
    (["demo_subsample=201"], "'demo_subsample' (201) is longer than the shortest of the 10 selected episodes"),
    (["--preset", "nope"], "--preset 'nope' is neither a preset credo has (dac) nor a readable file"),
    (["on_divergence=panic"], "'on_divergence' must be 'stop' or 'continue'"),
    (["disc_updates=0"], "'disc_updates' must be a positive integer"),
    (["gradient_penalty=-1"], "'gradient_penalty' must be 0 or a positive number, got -1"),
    (["disc_lr=0"], "'disc_lr' must be a positive number, got 0"),
    (["reward_scale=-2"], "'reward_scale' must be a positive number, got -2"),
    (["disc_hidden=64,0"], "'disc_hidden' must be a list of positive layer widths"),
    (["disc_start=-5"], "'disc_start' must be >= 0, got -5"),
    (["disc_parallel=2"], "config key 'disc_parallel' takes a boolean (like false), not '2'"),
    (["collapse_window=2"], "'collapse_window' must be 0 (the default window) or 1 to the run's 1 evaluations"),
    (["collapse_window=-1"], "'collapse_window' must be 0 (the default window) or 1 to the run's 1 evaluations"),
])
def test_bad_imitation_options_get_one_line(credo_bin, tmp_path, demos, args, expected):
    out = tmp_path / "bad"
    proc = run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 100, "--out", out,
               "--demos", demos, *args)
    assert proc.returncode == 2, proc.stdout
    assert len(proc.stderr.strip().splitlines()) == 1 and expected in proc.stderr, proc.stderr
    assert not out.exists()


def test_reward_options_need_demonstrations(credo_bin, tmp_path):
    proc = run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 100, "--out", tmp_path / "x",
               "--clip", "5")
    assert proc.returncode == 2 and "add --demos FILE" in proc.stderr


def test_demonstrations_of_another_env_never_start_training(credo_bin, tmp_path, demos):
    hopper = tmp_path / "hopper.npz"
    n = 50
    np.savez(hopper, observations=np.zeros((n, 11)), actions=np.zeros((n, 3)), rewards=np.zeros(n),
             terminals=np.zeros(n, bool), timeouts=np.eye(1, n, n - 1, dtype=bool)[0],
             next_observations=np.zeros((n, 11)))
    for file, env, expected in [(hopper, "Pendulum-v1", "observations of size 11 and actions of size 3"),
                                (demos, "Hopper-v5", "observations of size 3 and actions of size 1"),
                                (tmp_path / "none.h5", "Pendulum-v1", "does not exist")]:
        out = tmp_path / "never"
        proc = run(credo_bin, "train", "--algo", "td3", "--env", env, "--steps", 100, "--out", out, "--demos", file)
        assert proc.returncode == 2 and expected in proc.stderr, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert not out.exists()


def test_same_seed_same_imitation_run(credo_bin, tmp_path, demos):
    """The discriminator's weights, its samples and the learner all follow the run's seed (one thread)."""
    tables = []
    for name in ("a", "b"):
        assert imitate(credo_bin, tmp_path / name, demos, steps=1500).returncode == 0
        tables.append(metrics_without_timing(tmp_path / name))
    assert tables[0] == tables[1]


@pytest.mark.parametrize("case", ["a round every step", "50 updates every 250 steps", "resumed", "ppo"])
def test_the_discriminator_beside_the_learner_gives_the_same_run(credo_bin, tmp_path, demos, case):
    """disc_parallel runs each discriminator round on a second thread while the learner updates, the learner
    scoring with a copy of the weights the previous round left: every metric, the learner's and the
    discriminator's, matches the run without it, also between rounds, after a resume and for PPO's rollouts."""
    tables = []
    for parallel in ("false", "true"):
        out = tmp_path / parallel
        flag = f"disc_parallel={parallel}"
        if case == "ppo":
            proc = run(credo_bin, "train", "--algo", "ppo", "--env", "Pendulum-v1", "--steps", 4096, "--out", out,
                       "--demos", demos, "eval_episodes=1", "log_interval=1024", flag)
        elif case == "resumed":
            proc = imitate(credo_bin, out, demos, flag, steps=1000)
            assert proc.returncode == 0, proc.stderr
            proc = run(credo_bin, "train", "--resume", out, "--steps", 2000)
        else:
            schedule = ["disc_interval=1", "disc_updates=1"] if case == "a round every step" else []
            proc = imitate(credo_bin, out, demos, flag, *schedule, steps=1500)
        assert proc.returncode == 0, proc.stderr
        tables.append(metrics_without_timing(out))
    assert len(tables[0]) >= 4
    assert floats(tables[0], "grad_norm_disc")  # rounds ran
    assert tables[0] == tables[1]


def test_absorbing_states_where_episodes_never_terminate_add_nothing(credo_bin, tmp_path, demos):
    """Absorbing states are on by default (DAC); Pendulum's episodes only reach the time limit, so no absorbing
    sample joins the expert's, and the run goes on without a word."""
    proc = imitate(credo_bin, tmp_path / "run", demos, "absorbing=true", steps=1000)
    assert proc.returncode == 0 and "warning" not in proc.stderr, proc.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["expert_transitions"] == 10 * 200


def test_subsampled_demonstrations_and_the_dac_preset(credo_bin, tmp_path, demos):
    """demo_subsample keeps every k-th transition of each selected episode, and the dac preset sets DAC's regime,
    4 episodes at rate 20 (Pendulum's episodes are 200 steps long: 10 transitions each)."""
    out = tmp_path / "sub"
    proc = imitate(credo_bin, out, demos, "demo_episodes=3", "demo_subsample=8", steps=500)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "summary.json").read_text())["expert_transitions"] == 3 * 200 // 8
    out = tmp_path / "dac"
    proc = run(credo_bin, "train", "--preset", "dac", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 500,
               "--out", out, "--demos", demos, "hidden=32,32", "eval_episodes=1", "eval_interval=500",
               "log_interval=250")
    assert proc.returncode == 0, proc.stderr
    config = (out / "config.toml").read_text()
    for line in ("demo_subsample = 20", "gradient_penalty = 10.0", "actor_grad_clip = 40.0", "reward = 'airl'",
                 "hidden = [32, 32]"):  # key=value arguments come after the preset
        assert line in config, line
    assert json.loads((out / "summary.json").read_text())["expert_transitions"] == 4 * 200 // 20


def test_a_preset_file_with_an_unknown_key_is_one_line(credo_bin, tmp_path, demos):
    preset = tmp_path / "mine.toml"
    preset.write_text("gradient_penalty = 5.0\ndisc_lerning_rate = 1e-3\n")
    out = tmp_path / "bad"
    proc = run(credo_bin, "train", "--preset", preset, "--algo", "td3", "--env", "Pendulum-v1", "--steps", 100,
               "--out", out, "--demos", demos)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert f"preset file {preset}: unknown config key 'disc_lerning_rate'" in proc.stderr
    assert not out.exists()


def test_absorbing_states_add_the_expert_terminations(credo_bin, tmp_path):
    # A noisy expert falls now and then: demonstrations with terminated episodes.
    demo_file = tmp_path / "falls.h5"
    proc = run(credo_bin, "collect", "--policy", EXPERTS / "sac-hopper-v5.pt", "--env", "Hopper-v5", "--episodes", 4,
               "--noise", 1.0, "--seed", 3, "--out", demo_file)
    assert proc.returncode == 0, proc.stderr
    assert run(credo_bin, "demos", "info", demo_file, "--json", tmp_path / "info.json").returncode == 0
    info = json.loads((tmp_path / "info.json").read_text())
    assert info["terminal_episodes"] > 0, info
    out = tmp_path / "run"
    proc = run(credo_bin, "train", "--algo", "td3", "--env", "Hopper-v5", "--steps", 1500, "--seed", 1, "--out", out,
               "--demos", demo_file, *FAST, "absorbing=true")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    # One absorbing sample per terminated expert episode joins the expert's transitions.
    assert summary["expert_transitions"] == info["transitions"] + info["terminal_episodes"]
    assert all(math.isfinite(v) for v in floats(rows(out), "reward_mean"))


def test_a_run_from_before_a_key_existed_resumes_as_it_ran(credo_bin, tmp_path, demos):
    """Run folders written before disc_normalize_obs existed standardised the discriminator's observations; their
    config.toml lacks the key, and resuming keeps that behaviour instead of taking today's default (raw)."""
    out = tmp_path / "old"
    assert imitate(credo_bin, out, demos, steps=500).returncode == 0
    config = out / "config.toml"
    lines = config.read_text().splitlines()
    assert "disc_normalize_obs = false" in lines
    config.write_text("\n".join(line for line in lines if not line.startswith("disc_normalize_obs")) + "\n")
    proc = run(credo_bin, "train", "--resume", out, "--steps", 750)
    assert proc.returncode == 0, proc.stderr
    assert "disc_normalize_obs = true" in config.read_text().splitlines()


def test_a_resumed_run_judges_collapse_on_all_its_evaluations(credo_bin, tmp_path, demos):
    """The collapse detector replays a resumed run's evaluations from metrics.csv. The first session's evaluation
    returns are set to an expert-level one followed by two at the random policy's level: with a window of 2 the
    replay puts the run inside a collapse that began at the second evaluation, so the resumed session's own
    evaluation either keeps it there (status collapsed, the fall's step from before the resume) or ends it (a
    recovery event), and a detector that forgot the first session would do neither."""
    out = tmp_path / "collapse"
    assert imitate(credo_bin, out, demos, "collapse_window=2", steps=3000).returncode == 0
    summary = json.loads((out / "summary.json").read_text())
    expert, random_ = summary["expert_return"], summary["random_return"]
    table = rows(out)
    for r in table:
        if r["eval_return"]:
            r["eval_return"] = str(expert if r["step"] == "1000" else random_)
    with open(out / "metrics.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    proc = run(credo_bin, "train", "--resume", out, "--steps", 4000)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    events = [line.split(",")[:2] for line in (out / "events.csv").read_text().splitlines()[1:]]
    if summary["collapsed"]:
        assert summary["collapse_step"] == 2000 and summary["collapse_events"] == 1
    else:
        assert ["4000", "recovery"] in events


def test_adaptive_clip_bounds_the_reward_at_its_threshold_and_resumes(credo_bin, tmp_path, demos):
    """`--clip auto`: the threshold (column clip_threshold, its mean over the row) is the 0.9 quantile of the
    recent rewards, so about a tenth of the rewards are clipped; an interrupted run resumes with its threshold and
    window (they are in the checkpoint)."""
    args = ["--clip", "auto", "clip_quantile=0.9", "clip_window=2000"]
    whole, split = tmp_path / "whole", tmp_path / "split"
    assert imitate(credo_bin, whole, demos, *args, steps=2000).returncode == 0
    table = rows(whole)
    thresholds = floats(table, "clip_threshold")
    # inf (no clip) until the discriminator has scored a tenth of the window, finite from then on
    first = next(i for i, t in enumerate(thresholds) if math.isfinite(t))
    assert first < len(thresholds) / 2 and all(math.isfinite(t) for t in thresholds[first:])
    for r in table[-3:]:  # the clip binds: the largest reward learned from is below the largest scored
        assert float(r["reward_max"]) < float(r["reward_raw_max"])
    late = floats(table, "clip_fraction")[-3:]
    assert all(0.02 < f < 0.3 for f in late), late  # near 0.1: the threshold trails the rewards it clips
    assert "clip_auto = true" in (whole / "config.toml").read_text()
    assert imitate(credo_bin, split, demos, *args, steps=1000).returncode == 0
    assert run(credo_bin, "train", "--resume", split, "--steps", 2000).returncode == 0
    # The rows before the stop are the uninterrupted run's; after it (a resumed run starts a fresh episode, so
    # its samples differ) the threshold is finite at once: a window lost at the stop would leave it off (inf)
    # for the first rows.
    resumed = floats(rows(split), "clip_threshold")
    before = [r for r in rows(split) if int(r["step"]) <= 1000 and r["clip_threshold"]]
    assert [float(r["clip_threshold"]) for r in before] == thresholds[:len(before)]
    assert all(math.isfinite(t) for t in resumed[len(before):]) and len(resumed) == len(thresholds)


def test_imitating_td3_evaluates_and_ships_the_target_actor(credo_bin, tmp_path, demos):
    """Imitation's default eval_actor = "target": evaluations and final_policy.pt use the target actor, and every
    evaluation also measures the online actor (eval_return_actor). DAC's preset and plain RL evaluate the online
    actor, and a run folder from before the key existed resumes as it ran."""
    out = tmp_path / "target"
    proc = imitate(credo_bin, out, demos, steps=2000, seed=5)
    assert proc.returncode == 0, proc.stderr
    assert "eval_actor = 'target'" in (out / "config.toml").read_text().splitlines()
    table = rows(out)
    evals = [r for r in table if r["eval_return"] != ""]
    assert len(evals) == 2 and all(r["eval_return_actor"] != "" for r in evals)
    assert all(r["eval_return_actor"] == "" for r in table if r["eval_return"] == "")
    # Two actors apart by 1500 updates of Polyak averaging act differently.
    assert any(r["eval_return_actor"] != r["eval_return"] for r in evals)
    summary = json.loads((out / "summary.json").read_text())
    report = tmp_path / "eval.json"
    proc = run(credo_bin, "eval", "--policy", out / "final_policy.pt", "--env", "Pendulum-v1", "--episodes", 2,
               "--seed", 1_000_005, "--json", report)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(report.read_text())["returns"] == pytest.approx(summary["final_eval_returns"], abs=1e-9)

    out = tmp_path / "dac"
    proc = run(credo_bin, "train", "--preset", "dac", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 500,
               "--out", out, "--demos", demos, "hidden=32,32", "eval_episodes=1", "eval_interval=500",
               "log_interval=250")
    assert proc.returncode == 0, proc.stderr
    assert "eval_actor = 'actor'" in (out / "config.toml").read_text().splitlines()
    assert "eval_return_actor" not in rows(out)[0]

    out = tmp_path / "old"
    assert imitate(credo_bin, out, demos, "eval_actor=actor", steps=500).returncode == 0
    config = out / "config.toml"
    config.write_text("\n".join(line for line in config.read_text().splitlines()
                                if not line.startswith("eval_actor")) + "\n")
    proc = run(credo_bin, "train", "--resume", out, "--steps", 750)
    assert proc.returncode == 0, proc.stderr
    assert "eval_actor = 'actor'" in config.read_text().splitlines()
