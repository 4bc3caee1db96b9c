"""`credo report` read as a person would: figures that are real images, tables whose numbers are those of the
runs, and a clear error for folders without runs."""
import csv
import json
import subprocess
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

EXPERTS = Path(__file__).resolve().parents[2] / "experts"
FAST = ["hidden=16,16", "disc_hidden=16,16", "batch_size=32", "start_steps=200", "eval_episodes=1",
        "eval_interval=500", "log_interval=250", "disc_interval=250", "disc_updates=20", "disc_start=250"]


def run(credo_bin, *args, check=True):
    proc = subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True, timeout=600)
    if check:
        assert proc.returncode in (0, 3), proc.stderr
    return proc


@pytest.fixture(scope="module")
def runs(credo_bin, tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    demos = root / "demos.h5"
    run(credo_bin, "collect", "--policy", EXPERTS / "sac-pendulum-v1.pt", "--env", "Pendulum-v1", "--episodes", 2,
        "--out", demos)
    for seed in (1, 2):
        run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 1000, "--seed", seed, "--out",
            root / "runs" / f"credo-s{seed}", "--demos", demos, "--reward", "gail", "--clip", 5, *FAST)
        run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 3000, "--seed", seed, "--out",
            root / "runs" / f"wild-s{seed}", "--demos", demos, "--reward", "gail", "--clip", "off", "reward_scale=1e9",
            "q_bound=100",
            *FAST)
    run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 1000, "--out", root / "rl",
        "hidden=16,16", "start_steps=200", "eval_episodes=1", "eval_interval=500", "log_interval=250")
    return root


def test_compute_settings_do_not_split_a_variant(credo_bin, runs, tmp_path):
    # The same runs computed on 2 threads are seeds of the same variant; a learning setting would split it.
    extra = tmp_path / "threads2"
    run(credo_bin, "train", "--algo", "td3", "--env", "Pendulum-v1", "--steps", 1000, "--seed", 3, "--out", extra,
        "--demos", runs / "demos.h5", "--reward", "gail", "--clip", 5, "threads=2", "checkpoint_interval=250", *FAST)
    proc = run(credo_bin, "report", *sorted((runs / "runs").glob("credo-s*")), extra, "--out", tmp_path / "r")
    assert "3 runs, 1 variants" in proc.stdout
    with open(tmp_path / "r" / "returns.csv") as f:
        assert [r["seeds"] for r in csv.DictReader(f)] == ["3"]


def test_budgets_far_apart_get_a_zoomed_panel(credo_bin, runs, tmp_path):
    # wild-* ran 3000 steps, credo-* 1000: a second panel shows the first 1000 steps; alike budgets get one panel.
    both, alike = tmp_path / "both", tmp_path / "alike"
    run(credo_bin, "report", runs / "runs", "--out", both)
    run(credo_bin, "report", *sorted((runs / "runs").glob("credo-s*")), "--out", alike)
    for name in ("curves-Pendulum-v1.png", "gradnorms-Pendulum-v1.png"):
        wide, single = matplotlib.image.imread(both / name), matplotlib.image.imread(alike / name)
        assert wide.shape[0] == single.shape[0] and wide.shape[1] == 2 * single.shape[1]
        right = wide[:, single.shape[1]:]
        assert right.std() > 0.01  # the zoomed panel is drawn


def test_report_has_figures_and_tables_matching_the_runs(credo_bin, runs, tmp_path):
    out = tmp_path / "report"
    proc = run(credo_bin, "report", runs / "runs", runs / "rl", "--out", out)
    assert "5 runs, 3 variants" in proc.stdout
    text = (out / "report.md").read_text()
    for name in ("curves-Pendulum-v1.png", "gradnorms-Pendulum-v1.png"):
        assert f"]({name})" in text
        image = matplotlib.image.imread(out / name)
        assert image.shape[0] > 300 and image.shape[1] > 500 and image.std() > 0.01  # a drawn figure, not blank
    summaries = {p.parent.name: json.loads(p.read_text()) for p in (runs / "runs").glob("*/summary.json")}
    with open(out / "divergence.csv") as f:
        divergence = {(r["algo"], r["reward"], r["clip"]): r for r in csv.DictReader(f)}
    wild = divergence[("td3", "gail", "off")]
    diverged = [s for n, s in summaries.items() if n.startswith("wild") and s["status"] == "diverged"]
    assert float(wild["share_diverged"]) == pytest.approx(len(diverged) / 2)
    assert len(diverged) == 2
    assert float(wild["median_first_explosion_step"]) == pytest.approx(
        sorted(s["first_explosion_step"] for n, s in summaries.items() if n.startswith("wild"))[0] / 2 +
        sorted(s["first_explosion_step"] for n, s in summaries.items() if n.startswith("wild"))[1] / 2)
    assert divergence[("td3", "env", "-")]["seeds"] == "1"
    # The explosions split by network, as each run's events.csv has them.
    for variant, prefix in ((("td3", "gail", "off"), "wild"), (("td3", "gail", "5"), "credo")):
        names = [set(line.split(",")[2] for line in (runs / "runs" / f"{prefix}-s{seed}" / "events.csv")
                     .read_text().splitlines()[1:]) for seed in (1, 2)]
        learner = sum(bool(n - {"grad_norm_disc"}) for n in names) / 2
        disc = sum("grad_norm_disc" in n for n in names) / 2
        assert float(divergence[variant]["share_with_learner_explosions"]) == pytest.approx(learner)
        assert float(divergence[variant]["share_with_disc_explosions"]) == pytest.approx(disc)
    assert float(wild["share_with_learner_explosions"]) == 1.0  # the absurd reward scale blows up the critic
    with open(out / "runs.csv") as f:
        per_run = list(csv.DictReader(f))
    assert len(per_run) == 5
    for r in per_run:
        name = Path(r["run"]).name
        if name in summaries:
            assert r["status"] == summaries[name]["status"]
    with open(out / "returns.csv") as f:
        returns = {(r["algo"], r["reward"], r["clip"]): r for r in csv.DictReader(f)}
    credo_runs = [s for n, s in summaries.items() if n.startswith("credo")]
    finals = [(s["final_eval_return_mean"] - s["random_return"]) / (s["expert_return"] - s["random_return"])
              for s in credo_runs]
    assert float(returns[("td3", "gail", "5")]["final_normalized_mean"]) == pytest.approx(sum(finals) / 2, rel=1e-6)
    assert returns[("td3", "gail", "5")]["steps"] == "1000" and returns[("td3", "gail", "5")]["finished"] == "2"
    assert float(returns[("td3", "gail", "5")]["best_normalized_mean"]) >= sum(finals) / 2 - 1e-9  # best >= final
    # The last-5 return averages each run's last five evaluations (fewer where the run has fewer).
    lasts = []
    for name, s in summaries.items():
        if name.startswith("credo"):
            rows = [r for r in csv.DictReader(open(runs / "runs" / name / "metrics.csv")) if r["eval_return"]]
            last = np.mean([float(r["eval_return"]) for r in rows[-5:]])
            lasts.append((last - s["random_return"]) / (s["expert_return"] - s["random_return"]))
    assert float(returns[("td3", "gail", "5")]["last5_normalized_mean"]) == pytest.approx(np.mean(lasts), rel=1e-6)
    assert float(returns[("td3", "gail", "5")]["median_wall_time_s"]) > 0
    assert "last5_" not in (out / "report.md").read_text()  # table numbers never leak into variant labels
    # The run on the env's reward (an oracle) is normalised with its env's imitation runs' expert and random returns.
    oracle = json.loads((runs / "rl" / "summary.json").read_text())
    expert = np.median([s["expert_return"] for s in summaries.values()])
    random_ = np.median([s["random_return"] for s in summaries.values()])
    assert float(returns[("td3", "env", "-")]["final_normalized_mean"]) == pytest.approx(
        (oracle["final_eval_return_mean"] - random_) / (expert - random_), rel=1e-6)


def test_report_on_folders_without_runs_is_one_line(credo_bin, tmp_path):
    (tmp_path / "empty").mkdir()
    proc = run(credo_bin, "report", tmp_path / "empty", "--out", tmp_path / "out", check=False)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert "no run folders" in proc.stderr


def test_collapse_share_counts_only_runs_that_judged_it(credo_bin, runs, tmp_path):
    # Three seeds of one variant: one ended collapsed, one did not, one predates the collapse status. The run
    # folders are real; their summaries are set to each case (the rule itself is unit-tested in C++:
    # tests/cpp/collapse_detector_test.cpp).
    import shutil
    cases = {"s1": {"collapsed": True, "collapse_step": 500}, "s2": {"collapsed": False, "collapse_step": None},
             "s3": None}
    for i, (name, fields) in enumerate(cases.items()):
        shutil.copytree(runs / "runs" / "credo-s1", tmp_path / "in" / name)
        summary_path = tmp_path / "in" / name / "summary.json"
        summary = json.loads(summary_path.read_text())
        summary["seed"] = i + 1
        for key in ("collapsed", "collapse_step", "collapse_events"):
            summary.pop(key, None)
        if fields is not None:
            summary.update(fields)
        summary_path.write_text(json.dumps(summary))
    run(credo_bin, "report", tmp_path / "in", "--out", tmp_path / "out")
    with open(tmp_path / "out" / "divergence.csv") as f:
        (row,) = list(csv.DictReader(f))
    assert float(row["share_collapsed"]) == 0.5 and row["seeds_judged_for_collapse"] == "2"
    assert float(row["median_collapse_step"]) == 500
    assert "| 50% (2) | 500 |" in (tmp_path / "out" / "report.md").read_text()
    with open(tmp_path / "out" / "runs.csv") as f:
        assert sorted(r["collapsed"] for r in csv.DictReader(f)) == ["", "False", "True"]


def test_clip_bound_share_counts_the_seeds_whose_clip_cut_a_reward(credo_bin, runs, tmp_path):
    # Three seeds of a clip-5 variant: one clipped a reward in one metrics row, one never did, one has no
    # clip_fraction column (written before credo recorded it) and is left out; the unclipped variant has no share.
    import shutil
    for i, case in enumerate(("cut", "never", "unrecorded")):
        shutil.copytree(runs / "runs" / "credo-s1", tmp_path / "in" / case)
        summary_path = tmp_path / "in" / case / "summary.json"
        summary_path.write_text(json.dumps({**json.loads(summary_path.read_text()), "seed": i + 1}))
        metrics = tmp_path / "in" / case / "metrics.csv"
        with open(metrics) as f:
            rows = list(csv.DictReader(f))
        assert rows and "clip_fraction" in rows[0]
        for j, row in enumerate(rows):
            row["clip_fraction"] = 0.25 if case == "cut" and j == 1 else 0
            if case == "unrecorded":
                del row["clip_fraction"]
        with open(metrics, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    shutil.copytree(runs / "runs" / "wild-s1", tmp_path / "in" / "unclipped")
    run(credo_bin, "report", tmp_path / "in", "--out", tmp_path / "out")
    with open(tmp_path / "out" / "divergence.csv") as f:
        shares = {r["clip"]: r["share_clip_bound"] for r in csv.DictReader(f)}
    assert shares == {"5": "0.5", "off": ""}
    assert "| 50% |" in (tmp_path / "out" / "report.md").read_text()


def test_every_run_judges_collapse(runs):
    # Imitation runs and plain RL runs alike carry the collapse status and the random policy's return.
    for summary_path in [*(runs / "runs").glob("credo-s*/summary.json"), runs / "rl" / "summary.json"]:
        s = json.loads(summary_path.read_text())
        assert s["collapsed"] in (True, False) and s["collapse_events"] >= 0
        assert s["random_return"] < -500  # Pendulum-v1: a random policy scores about -1250


@pytest.mark.parametrize("file, content, expected", [
    ("summary.json", "{\"status\": \"finis", "summary.json is damaged"),
    ("summary.json", "[]", "not a credo summary"),
    ("summary.json", '{"status": "finished", "expert_return": "high"}', "'expert_return' is not a number"),
    ("config.toml", "env = ", "config.toml is damaged"),
    ("config.toml", "seed = 1\n", "no env or algo"),
    ("metrics.csv", "\xff\xfe\x00garbage", "metrics.csv is damaged"),
    ("events.csv", "step,event,name,value,threshold\nabc,explosion,q,1,2\n", "events.csv is damaged"),
])
def test_a_damaged_run_folder_is_one_line(credo_bin, tmp_path, file, content, expected):
    committed = sorted((Path(__file__).resolve().parents[2] / "docs" / "results").glob("*/runs/*/summary.json"))
    folder = tmp_path / "runs" / "damaged"
    folder.mkdir(parents=True)
    for name in ("summary.json", "config.toml", "metrics.csv", "events.csv"):
        (folder / name).write_bytes((committed[0].parent / name).read_bytes())
    (folder / file).write_bytes(content.encode("latin-1"))
    proc = run(credo_bin, "report", tmp_path / "runs", "--out", tmp_path / "out", check=False)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and str(folder) in lines[0], proc.stderr


def test_target_and_online_actor_are_compared_run_by_run(credo_bin, runs, tmp_path):
    """Imitating td3 runs evaluate the target actor and the online actor on the same episodes: the report gives
    each one's last-5 normalised return and their paired difference, computed from the runs' own columns."""
    out = tmp_path / "actors"
    run(credo_bin, "report", *sorted((runs / "runs").glob("credo-s*")), "--out", out)
    text = (out / "report.md").read_text()
    assert "## Target actor and online actor" in text
    section = text.split("## Target actor and online actor")[1]
    row = next(line for line in section.splitlines() if line.startswith("| Pendulum-v1 | td3 gail clip 5 | 2 |"))
    target, online, difference = (float(cell.split(" +- ")[0]) for cell in row.strip("|").split("|")[3:6])
    expected = {"eval_return": [], "eval_return_actor": []}
    for seed in (1, 2):
        run_dir = runs / "runs" / f"credo-s{seed}"
        summary = json.loads((run_dir / "summary.json").read_text())
        with open(run_dir / "metrics.csv") as f:
            rows = [r for r in csv.DictReader(f) if r["eval_return"]]
        for key in expected:
            last5 = np.mean([float(r[key]) for r in rows[-5:]])
            expected[key].append((last5 - summary["random_return"]) / (summary["expert_return"] -
                                                                       summary["random_return"]))
    # The table shows 3 significant digits.
    target_expected, online_expected = np.mean(expected["eval_return"]), np.mean(expected["eval_return_actor"])
    assert target == pytest.approx(target_expected, rel=5e-3, abs=2e-3)
    assert online == pytest.approx(online_expected, rel=5e-3, abs=2e-3)
    assert difference == pytest.approx(target_expected - online_expected, rel=5e-3, abs=2e-3)
    # Runs that evaluate the online actor only (plain RL here) add no such section.
    run(credo_bin, "report", runs / "rl", "--out", tmp_path / "rl")
    assert "Target actor" not in (tmp_path / "rl" / "report.md").read_text()


def test_the_paper_claims_are_judged_from_the_runs(credo_bin, runs, tmp_path):
    """The claims section reads the runs' own statuses: the wild td3 runs (clip off) diverged, so claim 1's divergence
    check is yes; claim 3's stability check for clip 5 says what those runs' summaries say; no stochastic learner ran,
    so claim 2 is not measured."""
    out = tmp_path / "claims"
    run(credo_bin, "report", runs / "runs", "--out", out)
    with open(out / "claims.csv") as f:
        rows = {(r["claim"], r["variant"], r["check"]): r for r in csv.DictReader(f)}
    diverged = rows[("1", "td3 gail clip off", "diverged or collapsed")]
    assert diverged["result"] == "yes" and diverged["evidence"] == "2 of 2 seeds"
    clipped = [json.loads(p.read_text()) for p in (runs / "runs").glob("credo-s*/summary.json")]
    unstable = sum(s["status"] == "diverged" or s["collapsed"] for s in clipped)
    stable = rows[("3", "td3 gail clip 5", "neither diverged nor collapsed")]
    assert stable["result"] == ("yes" if unstable == 0 else "no")
    assert stable["evidence"].startswith(f"{unstable} of 2 seeds diverged or collapsed; without the clip 2 of 2")
    text = (out / "report.md").read_text()
    verdicts = next(line for line in text.splitlines() if line.startswith("| 2. "))
    assert "not measured" in verdicts
    image = matplotlib.image.imread(out / "claim-1-Pendulum-v1.png")
    assert image.std() > 0.01 and "![Claim 1 on Pendulum-v1](claim-1-Pendulum-v1.png)" in text
