"""`credo env list | rollout | report` as a user runs them, including every kind of bad input: one clear line on
stderr, exit status 2, and no output file."""
import json
import subprocess

import pytest

IDS = ["Pendulum-v1", "Hopper-v4", "Hopper-v5", "Walker2d-v4", "Walker2d-v5", "HalfCheetah-v4", "HalfCheetah-v5"]


def credo(credo_bin, *args):
    return subprocess.run([str(credo_bin), *map(str, args)], capture_output=True, text=True)


def test_env_list_shows_every_id_with_sizes(credo_bin):
    proc = credo(credo_bin, "env", "list")
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line.split()[1:4] for line in proc.stdout.splitlines()[1:]}
    assert list(rows) == IDS
    assert rows["Hopper-v5"] == ["11", "3", "1000"]
    assert rows["Walker2d-v4"] == ["17", "6", "1000"]
    assert rows["HalfCheetah-v5"] == ["17", "6", "1000"]
    assert rows["Pendulum-v1"] == ["3", "1", "200"]


def test_seeded_rollout_is_reproducible_and_stops_at_the_episode_end(credo_bin, tmp_path):
    spec = {"env": "Hopper-v5", "seed": 3, "actions": [[1.0, -1.0, 1.0]] * 1000}
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    outs = []
    for name in ("a.json", "b.json"):
        proc = credo(credo_bin, "env", "rollout", "--in", tmp_path / "spec.json", "--out", tmp_path / name)
        assert proc.returncode == 0, proc.stderr
        outs.append(json.loads((tmp_path / name).read_text()))
    assert outs[0] == outs[1]
    traj = outs[0]
    assert traj["steps"][-1]["terminated"] is True, "bang-bang actions topple the hopper"
    assert len(traj["steps"]) + traj["unused_actions"] == 1000
    assert list(traj["reset_info"]) == ["x_position", "z_distance_from_origin"]


def test_report_runs_every_env_and_writes_json(credo_bin, tmp_path):
    proc = credo(credo_bin, "env", "report", "--episodes", 1, "--json", tmp_path / "r.json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads((tmp_path / "r.json").read_text())
    assert [r["env"] for r in report] == IDS
    by_id = {r["env"]: r for r in report}
    assert by_id["HalfCheetah-v5"]["random_length_mean"] == 1000  # never terminates
    assert by_id["Pendulum-v1"]["zero_length_mean"] == 200
    assert by_id["Hopper-v5"]["random_length_mean"] < 1000  # random actions make it fall


BAD_SPECS = {
    "unknown env id": ({"env": "Hopper-v9", "seed": 0, "actions": []}, "valid ids: Pendulum-v1, Hopper-v4"),
    "wrong action length": ({"env": "Hopper-v5", "seed": 0, "actions": [[0, 0, 0], [0, 0]]},
                            "actions[1] has 2 values; Hopper-v5 takes 3"),
    "non-finite action": ('{"env": "Hopper-v5", "seed": 0, "actions": [[0, 1e999, 0]]}', "number overflow parsing '1e999'"),
    "non-numeric action": ({"env": "Hopper-v5", "seed": 0, "actions": [[0, "x", 0]]}, "actions[0][1] is not a number"),
    "NaN token": ('{"env": "Hopper-v5", "seed": 0, "actions": [[NaN, 0, 0]]}', "is not valid JSON"),
    "malformed JSON": ('{"env": "Hopper-v5", ', "is not valid JSON"),
    "not an object": ("[1, 2]", "must be a JSON object"),
    "missing env": ({"seed": 0, "actions": []}, "missing string field 'env'"),
    "missing actions": ({"env": "Hopper-v5", "seed": 0}, "missing list field 'actions'"),
    "neither seed nor state": ({"env": "Hopper-v5", "actions": []}, "or 'seed' for a seeded reset"),
    "qpos without qvel": ({"env": "Hopper-v5", "qpos": [0] * 6, "actions": []}, "give both 'qpos' and 'qvel'"),
    "qpos of the wrong size": ({"env": "Hopper-v5", "qpos": [0] * 5, "qvel": [0] * 6, "actions": []},
                               "needs qpos of 6 and qvel of 6 values, got 5 and 6"),
    "pendulum state size": ({"env": "Pendulum-v1", "qpos": [0, 1], "qvel": [0], "actions": []},
                            "needs qpos of 1 and qvel of 1 values"),
    "unknown field": ({"env": "Hopper-v5", "seed": 0, "actions": [], "action": []}, "unknown field 'action'"),
    "unknown option": ({"env": "Hopper-v5", "seed": 0, "actions": [], "options": {"healthy_rewrd": 1}},
                       "unknown option 'healthy_rewrd' for Hopper-v5; valid options:"),
    "bad option value": ({"env": "Hopper-v5", "seed": 0, "actions": [], "options": {"frame_skip": 0}},
                         "'frame_skip' must be at least 1"),
    "negative seed": ({"env": "Hopper-v5", "seed": -1, "actions": []}, "'seed' must be a non-negative integer"),
    "bad dtype": ({"env": "Hopper-v5", "seed": 0, "actions": [], "action_dtype": "float16"}, "'action_dtype'"),
}


@pytest.mark.parametrize("case", sorted(BAD_SPECS))
def test_bad_spec_gets_one_clear_line_exit_2_and_no_output(case, credo_bin, tmp_path):
    spec, expected = BAD_SPECS[case]
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(spec if isinstance(spec, str) else json.dumps(spec))
    out = tmp_path / "traj.json"
    proc = credo(credo_bin, "env", "rollout", "--in", spec_path, "--out", out)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("credo: error: ")
    assert expected in lines[0]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [spec_path], "no temporary files left behind"


def test_missing_spec_file_and_unwritable_output(credo_bin, tmp_path):
    proc = credo(credo_bin, "env", "rollout", "--in", tmp_path / "nope.json", "--out", tmp_path / "t.json")
    assert proc.returncode == 2 and "does not exist" in proc.stderr and "nope.json" in proc.stderr
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"env": "Pendulum-v1", "seed": 0, "actions": [[0.0]]}))
    proc = credo(credo_bin, "env", "rollout", "--in", spec, "--out", tmp_path / "no_dir" / "t.json")
    assert proc.returncode == 2
    assert "cannot write" in proc.stderr and "no_dir/t.json" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_unknown_subcommand_and_missing_option_exit_2(credo_bin):
    assert credo(credo_bin, "env", "frobnicate").returncode == 2
    proc = credo(credo_bin, "env", "rollout", "--in", "x.json")
    assert proc.returncode == 2 and "--out" in proc.stderr


def test_env_info_lists_every_option_of_an_env_and_rejects_unknown_ids(credo_bin):
    proc = credo(credo_bin, "env", "info", "Walker2d-v5")
    assert proc.returncode == 0, proc.stderr
    options = proc.stdout.split("options:\n", 1)[1].split()
    for name in ["xml_file", "frame_skip", "forward_reward_weight", "ctrl_cost_weight", "healthy_reward",
                 "terminate_when_unhealthy", "healthy_z_range", "healthy_angle_range", "reset_noise_scale",
                 "exclude_current_positions_from_observation"]:
        assert name in options, name
    assert "healthy_state_range" not in options  # Hopper only
    assert '"walker2d_v5.xml"' in proc.stdout
    assert "observation: 17 values (float64)" in proc.stdout
    v4 = credo(credo_bin, "env", "info", "Walker2d-v4").stdout
    assert "xml_file" not in v4 and "frame_skip" not in v4  # v4 hard-codes them
    bad = credo(credo_bin, "env", "info", "Walker2d-v3")
    assert bad.returncode == 2 and "valid ids: Pendulum-v1" in bad.stderr
