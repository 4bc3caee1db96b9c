"""The source tree's layers point downwards only (docs/design.md draws them): a file in src/credo/FOLDER may include
its own folder and the folders below it in LAYERS, never one above. Fails naming each include that points up.
Config keys are read through the components' options structs only (docs/design.md, "Runs, configs and
checkpoints")."""
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "credo"
# Lowest first; docs/design.md gives each folder's paragraph.
LAYERS = ["core", "config", "envs", "demos", "nn", "rl", "gail", "telemetry", "run", "sweep", "cli", "python"]
INCLUDE = re.compile(r'#include\s+"credo/([a-z_]+)/')


def test_every_folder_is_a_layer():
    folders = {p.name for p in SRC.iterdir() if p.is_dir()}
    assert folders == set(LAYERS), f"folders without a layer: {folders - set(LAYERS)}; layers without a folder: " \
                                   f"{set(LAYERS) - folders}"


def test_no_include_points_upwards():
    upward = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".h", ".cpp") or path.parent.name not in LAYERS:
            continue
        level = LAYERS.index(path.parent.name)
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.search(line)
            if match and match.group(1) in LAYERS and LAYERS.index(match.group(1)) > level:
                upward.append(f"{path.relative_to(SRC)}:{number} includes credo/{match.group(1)}/")
    assert not upward, "includes that point up a layer:\n" + "\n".join(upward)


# Config::get_* outside config/: only `credo train`'s resolution of its flags, before any options struct exists
# (whether the run imitates picks the defaults; --steps gets its own message), and a run folder's config read back
# (run/run_config.cpp: its algo and env find the defaults).
GET = re.compile(r"\.get_(?:bool|int|double|string|ints)\(([^)]*)\)")
RESOLUTION = ({("cli/train_commands.cpp", key) for key in ('"demos"', '"steps"')}
              | {("run/run_config.cpp", key) for key in ('"algo"', '"env"')})


def test_config_keys_are_read_by_options_structs_only():
    stray = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".h", ".cpp") or path.parent.name == "config":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for key in GET.findall(line):
                if (str(path.relative_to(SRC)), key) not in RESOLUTION:
                    stray.append(f"{path.relative_to(SRC)}:{number} reads {key}")
    assert not stray, "config keys read outside an options struct (config/option_reader.h):\n" + "\n".join(stray)
