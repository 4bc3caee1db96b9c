"""`credo train` and `credo eval` as a user runs them: run folders, resume, interruption, bad input."""
import csv
import json
import signal
import subprocess
import time
from pathlib import Path

import pytest

# A small, fast TD3 on Pendulum: tiny networks, short random start, frequent rows and checkpoints.
FAST = ["hidden=16,16", "batch_size=32", "start_steps=200", "eval_episodes=2", "eval_interval=500",
        "log_interval=250", "checkpoint_interval=500"]
METRIC_COLUMNS = {"step", "episode_return", "eval_return", "grad_norm_actor", "grad_norm_critic", "loss_actor",
                  "loss_critic", "sps"}
SUMMARY_FIELDS = {"env", "algo", "seed", "steps", "status", "final_eval_return_mean", "final_eval_return_std",
                  "wall_time_s", "env_steps_per_s"}


def run(credo_bin, *args, timeout=300):
    return subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True, timeout=timeout)


def train(credo_bin, out, *extra, algo="td3", steps=1500, seed=3):
    return run(credo_bin, "train", "--algo", algo, "--env", "Pendulum-v1", "--steps", steps, "--seed", seed,
               "--out", out, *FAST, *extra)


def read_metrics(path):
    with open(path / "metrics.csv") as f:
        return list(csv.DictReader(f))


def test_run_folder_has_config_metrics_checkpoint_policy_and_summary(credo_bin, tmp_path):
    out = tmp_path / "run"
    proc = train(credo_bin, out)
    assert proc.returncode == 0, proc.stderr
    names = {p.name for p in out.iterdir()}
    assert {n for n in names if not n.startswith("events.out.tfevents.")} == {
        "config.toml", "metrics.csv", "checkpoint.pt", "final_policy.pt", "best_policy.pt", "summary.json",
        "events.csv", ".lock"}
    assert len([n for n in names if n.startswith("events.out.tfevents.")]) == 1
    config = (out / "config.toml").read_text()
    assert "algo = 'td3'" in config and "batch_size = 32" in config and "steps = 1500" in config
    rows = read_metrics(out)
    assert METRIC_COLUMNS <= set(rows[0])
    assert [int(r["step"]) for r in rows] == list(range(250, 1501, 250))
    assert all(r["eval_return"] for r in rows if int(r["step"]) % 500 == 0)
    assert float(rows[-1]["grad_norm_critic"]) > 0
    summary = json.loads((out / "summary.json").read_text())
    assert SUMMARY_FIELDS <= set(summary)
    assert summary["status"] == "finished" and summary["steps"] == 1500 and summary["seed"] == 3
    assert summary["final_eval_return_mean"] == pytest.approx(float(rows[-1]["eval_return"]))
    # Where the session's time went: every share measured, none negative, together the session's wall time.
    split = summary["seconds_this_session"]
    assert set(split) == {"act", "env", "learn", "other"} and min(split.values()) >= 0
    assert split["learn"] > 0 and split["env"] > 0 and split["act"] > 0
    assert sum(split.values()) == pytest.approx(summary["wall_time_s"], rel=0.05, abs=0.05)


def test_eval_reproduces_the_final_evaluation(credo_bin, tmp_path):
    out = tmp_path / "run"
    assert train(credo_bin, out).returncode == 0
    summary = json.loads((out / "summary.json").read_text())
    # Training evaluates episode k with seed (seed + 1e6 + k).
    report = tmp_path / "eval.json"
    proc = run(credo_bin, "eval", "--policy", out / "final_policy.pt", "--env", "Pendulum-v1", "--episodes", 2,
               "--seed", 1_000_003, "--json", report)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(report.read_text())
    assert result["returns"] == pytest.approx(summary["final_eval_returns"], abs=1e-9)
    assert result["return_mean"] == pytest.approx(summary["final_eval_return_mean"])
    assert {"return_mean", "return_std", "returns"} <= set(result)
    assert "return" in proc.stdout


def test_same_seed_gives_identical_metrics(credo_bin, tmp_path):
    runs = []
    for name in ("a", "b"):
        assert train(credo_bin, tmp_path / name, steps=1000).returncode == 0
        runs.append([{k: v for k, v in r.items() if k not in ("sps", "wall_time_s")}
                     for r in read_metrics(tmp_path / name)])
    assert runs[0] == runs[1]
    assert train(credo_bin, tmp_path / "c", steps=1000, seed=4).returncode == 0
    other = [{k: v for k, v in r.items() if k not in ("sps", "wall_time_s")} for r in read_metrics(tmp_path / "c")]
    assert other != runs[0]


def test_sigint_checkpoints_and_resume_finishes_without_duplicate_rows(credo_bin, tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen([str(credo_bin), "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", "200000",
                             "--seed", "1", "--out", str(out), *FAST], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        if (out / "metrics.csv").exists() and len(read_metrics(out)) >= 3:
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "interrupted"
    stopped_at = summary["steps"]
    assert 750 <= stopped_at < 200000
    assert (out / "final_policy.pt").exists() and "--resume" in stdout

    proc = run(credo_bin, "train", "--resume", out, "--steps", stopped_at + 1000)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "finished" and summary["steps"] == stopped_at + 1000
    steps = [int(r["step"]) for r in read_metrics(out)]
    assert steps == sorted(set(steps)), "rows are strictly increasing: none lost or duplicated"
    assert steps[-1] == stopped_at + 1000
    # The signal came inside a row's interval (unless it fell on a row's step): that row, written after the
    # resume, holds the whole interval's statistics, as the uninterrupted run's does; td3's training does not
    # depend on its budget, so the same steps in one go give the same rows.
    whole = tmp_path / "whole"
    assert run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", stopped_at + 1000,
               "--seed", "1", "--out", whole, *FAST).returncode == 0
    timing = ("sps", "wall_time_s")
    assert ([{k: v for k, v in r.items() if k not in timing} for r in read_metrics(out)] ==
            [{k: v for k, v in r.items() if k not in timing} for r in read_metrics(whole)])


TIMING = {"sps", "wall_time_s", "env_steps_per_s", "seconds_this_session"}
HOPPER_EXPERT = Path(__file__).resolve().parents[2] / "experts" / "sac-hopper-v5.pt"


@pytest.mark.parametrize("algo,imitating", [("td3", False), ("sac", False), ("td3", True), ("ppo", False),
                                            ("ppo", True)])
def test_a_resumed_run_continues_exactly_as_the_uninterrupted_one(credo_bin, tmp_path, algo, imitating):
    """1,000 steps, then --resume to 2,000, against 2,000 in one go: the checkpoint keeps the episode in progress
    (Hopper's state, step count and reset generator, the episode's return so far, the metrics row's episodes) and
    ppo's partial rollout (n_steps 384: the split falls inside the third), so every row, event and the summary
    match but for timing. Hopper-v5's random episodes end every few dozen steps, so step 1,000 is mid-episode."""
    # explosion_factor 1.5 (default 100) and a window of 100 updates (1,000) make the relative test fire within
    # 2,000 steps: events after the split show that the running windows came through the resume.
    extra = ["threads=1", "hidden=16,16", "eval_episodes=2", "eval_interval=500", "log_interval=250",
             "checkpoint_interval=100000", "explosion_factor=1.5", "explosion_floor=0", "explosion_window=100"]
    # ppo's annealed learning rate follows the budget, which the split run's --resume --steps raises (a run
    # interrupted by a signal keeps its budget), so it is off here.
    extra += (["n_steps=384", "minibatch_size=64", "anneal_lr=false"] if algo == "ppo"
              else ["batch_size=32", "start_steps=200"])
    if imitating:
        demos = tmp_path / "hopper.h5"
        proc = run(credo_bin, "collect", "--policy", HOPPER_EXPERT, "--env", "Hopper-v5", "--episodes", 2,
                   "--seed", 0, "--out", demos)
        assert proc.returncode == 0, proc.stderr
        extra += ["--demos", demos, "disc_hidden=16,16", "disc_batch_size=32", "disc_start=200", "demo_subsample=20"]
        if algo == "ppo":
            extra.append("disc_interval=384")
    whole, split = tmp_path / "whole", tmp_path / "split"
    for out, steps in ((whole, 2000), (split, 1000)):
        proc = run(credo_bin, "train", "--algo", algo, "--env", "Hopper-v5", "--seed", 5, "--steps", steps,
                   "--out", out, *extra)
        assert proc.returncode == 0, proc.stderr
    proc = run(credo_bin, "train", "--resume", split, "--steps", 2000)
    assert proc.returncode == 0, proc.stderr

    def without_timing(rows):
        return [{k: v for k, v in row.items() if k not in TIMING} for row in rows]

    rows = without_timing(read_metrics(split))
    assert [int(r["step"]) for r in rows] == list(range(250, 2001, 250))
    assert rows == without_timing(read_metrics(whole))
    summaries = [json.loads((d / "summary.json").read_text()) for d in (whole, split)]
    for summary in summaries:
        for key in TIMING:
            summary.pop(key, None)
    assert summaries[0] == summaries[1]
    events = (whole / "events.csv").read_text()
    assert any(int(line.split(",")[0]) > 1000 for line in events.splitlines()[1:])
    assert (split / "events.csv").read_text() == events


def test_sigterm_is_handled_like_sigint(credo_bin, tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen([str(credo_bin), "train", "--algo", "ppo", "--env", "Pendulum-v1", "--steps", "10000000",
                             "--out", str(out), "n_steps=256", "log_interval=256", "eval_interval=1024",
                             "eval_episodes=1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not (out / "metrics.csv").exists():
        time.sleep(0.1)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM
    assert json.loads((out / "summary.json").read_text())["status"] == "interrupted"
    assert run(credo_bin, "train", "--resume", out, "--steps", 12000).returncode == 0


@pytest.mark.skipif(not Path("/dev/nvidiactl").exists(), reason="needs a GPU")
@pytest.mark.parametrize("algo", ["td3", "sac", "ppo"])
def test_a_run_on_a_gpu_imitates_resumes_and_its_policy_evaluates_on_the_cpu(credo_bin, tmp_path, algo):
    """device = "cuda": td3, sac and ppo imitating Hopper-v5 (discriminator, reward and learner on the GPU) run,
    resume from their checkpoint, and their policy file evaluates with `credo eval` on the CPU."""
    demos = tmp_path / "hopper.h5"
    assert run(credo_bin, "collect", "--policy", HOPPER_EXPERT, "--env", "Hopper-v5", "--episodes", 2,
               "--seed", 0, "--out", demos).returncode == 0
    extra = ["--device", "cuda", "--demos", demos, "demo_subsample=20", "disc_start=200", "eval_episodes=2",
             "eval_interval=500", "log_interval=250"]
    extra += ["n_steps=256", "disc_interval=256"] if algo == "ppo" else ["start_steps=200"]
    out = tmp_path / "run"
    proc = run(credo_bin, "train", "--algo", algo, "--env", "Hopper-v5", "--steps", 1000, "--out", out, *extra)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((out / "summary.json").read_text())["device"] == "cuda"
    assert run(credo_bin, "train", "--resume", out, "--steps", 1500).returncode == 0
    assert [int(r["step"]) for r in read_metrics(out)][-1] == 1500
    proc = run(credo_bin, "eval", "--policy", out / "final_policy.pt", "--env", "Hopper-v5", "--episodes", 2)
    assert proc.returncode == 0, proc.stderr


def bad(proc):
    """A bad-input failure: exit 2 and exactly one line on stderr."""
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert len(lines) == 1, proc.stderr
    return lines[0]


@pytest.mark.parametrize("args, expect", [
    (["--algo", "td4", "--env", "Pendulum-v1", "--steps", "10"], "did you mean 'td3'"),
    (["--algo", "td3", "--env", "Hopper-v9", "--steps", "10"], "Hopper-v9"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "0"], "--steps must be a positive"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "-5"], "--steps must be a positive"),
    (["--algo", "td3", "--env", "Pendulum-v1"], "needs --steps"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "lr_actr=1e-3"], "did you mean 'lr_actor'"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "batch_size=big"], "takes a integer"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "batch_size=0"], "'batch_size' must be a positive integer, got 0"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "gamma=1.5"], "must be in [0, 1]"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "eval_interval=1500"], "multiple of"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "lr_actor"], "not key=value"),
    (["--algo", "ppo", "--env", "Pendulum-v1", "--steps", "10", "minibatch_size=4096"], "minibatch_size"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "--config", "missing.toml"], "does not exist"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "--device", "gpu"],
     "'device' must be 'cpu', 'cuda' or 'cuda:N'"),
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "device=cuda:x"], "got 'cuda:x'"),
    # No machine here has a hundred GPUs: refused with what the machine has, before anything is written.
    (["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "--device", "cuda:99"], 'device = "cuda:99": '),
    pytest.param(["--algo", "td3", "--env", "Pendulum-v1", "--steps", "10", "--device", "cuda"],
                 'device = "cuda": no CUDA device on this machine',
                 marks=pytest.mark.skipif(Path("/dev/nvidiactl").exists(), reason="this machine has a GPU")),
])
def test_bad_training_input_is_one_line_and_leaves_no_folder(credo_bin, tmp_path, args, expect):
    out = tmp_path / "run"
    line = bad(run(credo_bin, "train", *args, "--out", out))
    assert expect in line
    assert not out.exists()


def test_bad_config_files(credo_bin, tmp_path):
    cases = {"broken.toml": ("lr_actor = ", "not valid TOML"),
             "unknown.toml": ("lr_actr = 1e-3", "did you mean 'lr_actor'"),
             "typed.toml": ('batch_size = "many"', "takes a integer"),
             "table.toml": ("[td3]\nlr_actor = 1e-3", "table")}
    for name, (text, expect) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        line = bad(run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 10, "--out",
                       tmp_path / "run", "--config", path))
        assert expect in line and name in line, line
    good = tmp_path / "good.toml"
    good.write_text("batch_size = 64\nlr_actor = 1e-3\n")
    proc = run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--config", good, "--show-config")
    assert "batch_size = 64" in proc.stdout and "lr_actor = 0.001" in proc.stdout


def test_help_config_describes_every_key_and_reads_back(credo_bin, tmp_path):
    """--help-config prints the resolved config (preset and key=value included) with each key's meaning as a
    comment above it; saved as a file, it is a --config that gives the same config."""
    args = ["train", "--algo", "td3", "--env", "Hopper-v5", "--preset", "dac", "batch_size=64"]
    proc = run(credo_bin, *args, "--help-config")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    keys = [line.split(" = ")[0] for line in lines if not line.startswith("#")]
    assert "tau" in keys and "batch_size = 64" in lines and "eval_actor = 'actor'" in lines
    for i, line in enumerate(lines):
        if not line.startswith("#"):
            assert lines[i - 1].startswith("# ") and "(not described)" not in lines[i - 1], line
    assert any(line.startswith("# Discount factor") for line in lines)
    # What each value must be, from the options struct that reads the key.
    text = " ".join(line[2:] for line in lines if line.startswith("# "))
    for requirement in ("Must be a positive integer.", "Must be in [0, 1].", "Must be 'actor' or 'target'."):
        assert requirement in text, requirement
    saved = tmp_path / "annotated.toml"
    saved.write_text(proc.stdout)
    plain = run(credo_bin, *args, "--show-config").stdout
    back = run(credo_bin, "train", "--algo", "td3", "--env", "Hopper-v5", "--config", saved, "--show-config")
    assert back.returncode == 0, back.stderr
    assert back.stdout == plain


def test_existing_output_folder_is_refused_unless_forced(credo_bin, tmp_path):
    out = tmp_path / "run"
    assert train(credo_bin, out, steps=250).returncode == 0
    before = (out / "metrics.csv").read_text()
    line = bad(train(credo_bin, out, steps=250))
    assert "already exists" in line and "--force" in line
    assert (out / "metrics.csv").read_text() == before
    assert train(credo_bin, out, "--force", steps=500).returncode == 0
    assert json.loads((out / "summary.json").read_text())["steps"] == 500
    # --force never deletes a folder that is not a run folder.
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    assert "not a credo run folder" in bad(train(credo_bin, other, "--force", steps=250))
    assert (other / "notes.txt").read_text() == "keep me"


def test_bad_policy_files(credo_bin, tmp_path):
    missing = bad(run(credo_bin, "eval", "--policy", tmp_path / "none.pt", "--env", "Pendulum-v1"))
    assert "does not exist" in missing
    corrupt = tmp_path / "corrupt.pt"
    corrupt.write_bytes(b"\x00not a policy" * 10)
    assert "not a valid credo policy" in bad(run(credo_bin, "eval", "--policy", corrupt, "--env", "Pendulum-v1"))
    out = tmp_path / "run"
    assert train(credo_bin, out, steps=250).returncode == 0
    truncated = tmp_path / "truncated.pt"
    truncated.write_bytes((out / "final_policy.pt").read_bytes()[:500])
    assert "not a valid credo policy" in bad(run(credo_bin, "eval", "--policy", truncated, "--env", "Pendulum-v1"))
    other = bad(run(credo_bin, "eval", "--policy", out / "final_policy.pt", "--env", "Hopper-v5"))
    assert "Pendulum-v1" in other and "does not fit Hopper-v5" in other
    assert "must be positive" in bad(run(credo_bin, "eval", "--policy", out / "final_policy.pt", "--env",
                                         "Pendulum-v1", "--episodes", 0))


def test_a_flipped_byte_is_refused_or_harmless_never_a_different_policy(credo_bin, tmp_path):
    """LibTorch does not check the zip CRCs of a .pt file; credo does before loading. A byte flipped anywhere in a
    policy file is refused (one line, exit 2) or lies where it changes nothing (zip padding): the policy never
    acts differently without a word. A flipped checkpoint is refused by --resume the same way."""
    out = tmp_path / "run"
    assert train(credo_bin, out, steps=500).returncode == 0
    data = (out / "final_policy.pt").read_bytes()
    evaluate = ["eval", "--env", "Pendulum-v1", "--episodes", 1, "--json"]
    assert run(credo_bin, *evaluate, tmp_path / "ref.json", "--policy", out / "final_policy.pt").returncode == 0
    reference = json.loads((tmp_path / "ref.json").read_text())["returns"]
    refused = 0
    for k in range(1, 16):
        flipped = bytearray(data)
        flipped[len(data) * k // 16] ^= 0xFF
        policy = tmp_path / f"flipped-{k}.pt"
        policy.write_bytes(bytes(flipped))
        proc = run(credo_bin, *evaluate, tmp_path / f"{k}.json", "--policy", policy)
        if proc.returncode == 2:
            assert "not a valid credo policy" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
            refused += 1
        else:
            assert proc.returncode == 0, proc.stderr
            assert json.loads((tmp_path / f"{k}.json").read_text())["returns"] == reference
    assert refused >= 12  # almost every byte of a policy file is tensor data under a CRC
    checkpoint = bytearray((out / "checkpoint.pt").read_bytes())
    checkpoint[len(checkpoint) // 2] ^= 0xFF
    (out / "checkpoint.pt").write_bytes(bytes(checkpoint))
    proc = run(credo_bin, "train", "--resume", out, "--steps", 1000)
    assert proc.returncode == 2 and "cannot resume from" in proc.stderr and "CRC error" in proc.stderr, proc.stderr


def test_policy_for_another_env_of_the_same_sizes(credo_bin, tmp_path):
    out = tmp_path / "run"
    proc = run(credo_bin, "train", "--algo", "td3", "--env", "Hopper-v4", "--steps", 300, "--out", out,
               *FAST[:2], "start_steps=100", "eval_episodes=1", "eval_interval=300", "log_interval=300")
    assert proc.returncode == 0, proc.stderr
    line = bad(run(credo_bin, "eval", "--policy", out / "final_policy.pt", "--env", "Hopper-v5", "--episodes", 1))
    assert "trained on Hopper-v4" in line and "--any-env" in line
    proc = run(credo_bin, "eval", "--policy", out / "final_policy.pt", "--env", "Hopper-v5", "--episodes", 1,
               "--any-env")
    assert proc.returncode == 0, proc.stderr


def test_resume_refuses_what_it_cannot_continue(credo_bin, tmp_path):
    assert "does not exist" in bad(run(credo_bin, "train", "--resume", tmp_path / "nothing"))
    out = tmp_path / "run"
    assert train(credo_bin, out, steps=250).returncode == 0
    assert "drop --algo" in bad(run(credo_bin, "train", "--resume", out, "--algo", "sac"))
    assert "drop --device" in bad(run(credo_bin, "train", "--resume", out, "--device", "cuda"))
    (out / "checkpoint.pt").write_bytes(b"garbage")
    assert "cannot resume" in bad(run(credo_bin, "train", "--resume", out, "--steps", 500))
