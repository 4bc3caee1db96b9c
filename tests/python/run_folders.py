"""Reading run folders in tests: metrics rows, and values that must agree up to float rounding."""
import csv

TIMING = {"sps", "wall_time_s"}  # metrics columns that measure the machine, not the run


def rows(run_dir):
    with open(run_dir / "metrics.csv") as f:
        return list(csv.DictReader(f))


def close(a, b, rel):
    """Equal text, or numbers within `rel` of each other (relative, with 1 added to the scale)."""
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= rel * (1.0 + abs(y))
