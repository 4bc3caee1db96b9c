#!/usr/bin/env python3
"""credo's experiment report: aggregates run folders (and sweeps of them) into OUT/report.md with PNG figures and
CSV tables. `credo report DIR... --out OUT` runs this with credo's venv Python; it also runs on its own:

    scripts/report.py DIR... --out OUT

A run folder is one with summary.json, metrics.csv and config.toml; each DIR is a run folder or a folder holding
them (searched recursively). Runs are grouped into variants by env, algo, reward and clip (plain RL runs: reward
"env"); the seeds of a variant are its runs.

Outputs:
- curves-ENV.png: true evaluation return against env steps, mean and 95% confidence band over seeds (Student t),
  one line per variant, each seed as a thin line of its colour; the demonstrations' expert return as a dashed line
  where known. The axis spans the seeds' values (a band that few seeds make wider is cut there). Where some
  variants' step budgets are over 3x shorter than others', a second panel zooms on the shorter budgets.
- gradnorms-ENV.png: the critic's gradient norm (log scale), mean over seeds, per variant (zoomed likewise).
- divergence.csv: per variant, seeds, share of seeds with explosion events (any network; and split into the
  learner's own networks, critic / actor / value, and the discriminator, from each run's events.csv), share
  diverged, share collapsed (of the runs whose summary.json judged it) and the median step their fall began,
  median first explosion step (any; learner's), median over seeds of the largest critic gradient norm, and for
  clipped variants the share of seeds whose clip cut at least one reward (metrics.csv's clip_fraction).
- returns.csv: per variant, the env-step budget, how many runs finished, final (the last evaluation), last-5 (the
  mean of the last 5 evaluations) and best normalised return (mean, 95% CI half-width), the median env steps to
  reach 25%, 50% and 90% of expert return (normalised return 0.25 / 0.5 / 0.9), with how many seeds got there,
  and the median wall time. Runs without demonstrations (oracles on the env's reward) are normalised with the
  expert and random returns of the same env's imitation runs in the report, where there are any.
- runs.csv: every run with its variant, seed, status and numbers.
Exit status 2 with one line when no run folder is found.
"""
import argparse
import csv
import json
import math
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import report_claims  # noqa: E402

# Two-sided 97.5% Student t quantiles for n - 1 degrees of freedom (n seeds), for 95% confidence intervals.
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        15: 2.131, 20: 2.086, 30: 2.042}


def t975(dof):
    if dof <= 0:
        return float("nan")
    keys = sorted(T975)
    return T975[max(k for k in keys if k <= dof)] if dof < 30 else 1.96


def mean_ci(values):
    """Mean and 95% CI half-width (Student t) of the finite values; NaN where there are too few."""
    finite = [x for x in values if not math.isnan(x)]
    mean = float(np.mean(finite)) if finite else float("nan")
    half = (t975(len(finite) - 1) * float(np.std(finite, ddof=1)) / math.sqrt(len(finite))
            if len(finite) > 1 else float("nan"))
    return mean, half


def fail(message):
    print(f"credo report: error: {message}", file=sys.stderr)
    sys.exit(2)


def find_runs(paths):
    runs = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            fail(f"'{p}' does not exist")
        candidates = [p] if (p / "summary.json").is_file() else [s.parent for s in sorted(p.rglob("summary.json"))]
        runs += [c for c in candidates if (c / "metrics.csv").is_file() and (c / "config.toml").is_file()]
    return runs


def load(run_dir):
    """A run folder's files, or one line and exit 2 when one of them is damaged (cut short, edited, not credo's)."""
    file = run_dir / "summary.json"
    try:
        summary = json.loads(file.read_text())
        if not isinstance(summary, dict) or not isinstance(summary.get("status"), str):
            raise ValueError("not a credo summary (no status)")
        for key, value in summary.items():
            if key.endswith(("_return", "_return_mean")) and value is not None and not isinstance(value, (int, float)):
                raise ValueError(f"'{key}' is not a number")
        file = run_dir / "config.toml"
        config = tomllib.loads(file.read_text())
        if not isinstance(config.get("env"), str) or not isinstance(config.get("algo"), str):
            raise ValueError("no env or algo")
        file = run_dir / "metrics.csv"
        with open(file) as f:
            rows = list(csv.DictReader(f))
        if rows and "step" not in rows[0]:
            raise ValueError("no step column")
        events = []
        file = run_dir / "events.csv"
        if file.is_file():
            with open(file) as f:
                events = [(int(e["step"]), e["event"], e["name"]) for e in csv.DictReader(f)]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, tomllib.TOMLDecodeError, csv.Error) as e:
        fail(f"run folder '{run_dir}': {file.name} is damaged ({str(e).splitlines()[0] if str(e) else type(e).__name__}); "
             "rerun that run or leave its folder out")
    imitation = bool(config.get("demos"))
    clip = config.get("clip", float("inf"))
    variant = {
        "env": config["env"],
        "algo": config["algo"],
        "reward": config.get("reward", "gail") if imitation else "env",
        "clip": ("auto" if config.get("clip_auto") else "off" if math.isinf(clip) else f"{clip:g}")
        if imitation else "-",
    }
    return {"dir": run_dir, "summary": summary, "config": config, "rows": rows, "events": events, "variant": variant}


def first_explosion(run, learner):
    """First explosion step of the learner's own networks (learner=True) or of the discriminator (False)."""
    steps = [step for step, event, name in run["events"]
             if event == "explosion" and (name != "grad_norm_disc") == learner]
    return min(steps) if steps else None


BASE = ("env", "algo", "reward", "clip")
# Shares of expert return (normalised return) whose first crossing the returns table reports.
SHARES = (0.25, 0.5, 0.9)
TABLE_FIELDS = {"seeds", "share_with_explosions", "share_with_learner_explosions", "share_with_disc_explosions",
                "share_diverged", "share_collapsed", "seeds_judged_for_collapse", "median_collapse_step",
                "median_first_explosion_step", "median_first_learner_explosion_step",
                "median_max_grad_norm_critic", "steps", "finished", "share_clip_bound"}


def label(v):
    extra = "".join(f" {k}={x}" for k, x in v.items() if k not in BASE and k not in TABLE_FIELDS
                    and not k.startswith(("final_", "last5_", "best_", "median_", "seeds_")))
    if v["reward"] == "env":
        return f"{v['algo']} (env reward){extra}"
    return f"{v['algo']} {v['reward']} clip {v['clip']}{extra}"


def clip_bound(run):
    """Whether the run's reward clip ever bound (a metrics row with clip_fraction > 0); None where it has no clip
    or its rows do not record it. A clip that never binds leaves the run the unclipped run, step for step."""
    if run["variant"]["clip"] in ("off", "-") or not run["rows"] or "clip_fraction" not in run["rows"][0]:
        return None
    return any(float(r["clip_fraction"] or 0) > 0 for r in run["rows"])


def series(rows, key):
    out = [(int(r["step"]), float(r[key])) for r in rows if r.get(key, "") not in ("", None)]
    return np.array([s for s, _ in out]), np.array([v for _, v in out])


def mean_band(curves):
    """Mean and 95% CI half-width over runs on the common steps (runs cut at their last step: a diverged run
    contributes up to where it stopped)."""
    steps = sorted(set().union(*[set(s.tolist()) for s, _ in curves]))
    means, halves, counts = [], [], []
    for step in steps:
        values = [v[list(s).index(step)] for s, v in curves if step in s]
        n = len(values)
        means.append(float(np.mean(values)))
        halves.append(t975(n - 1) * float(np.std(values, ddof=1)) / math.sqrt(n) if n > 1 else 0.0)
        counts.append(n)
    return np.array(steps), np.array(means), np.array(halves), counts


LAST = 5  # evaluations averaged for the last-5 return


def normalized(run, value):
    s = run["summary"]
    # A run with demonstrations uses its own expert and random returns; one without (which also records a random
    # return, since 2026-12) takes both from its env's imitation runs, so that both ends of the scale match theirs.
    if s.get("expert_return") is not None:
        expert, random_ = s["expert_return"], s.get("random_return")
    else:
        expert, random_ = run.get("env_expert_return"), run.get("env_random_return")
    if expert is None or random_ is None or expert == random_:
        return float("nan")
    return (value - random_) / (expert - random_)


def steps_to(run, share):
    steps, values = series(run["rows"], "eval_return")
    for step, value in zip(steps, values):
        if normalized(run, value) >= share:
            return int(step)
    return None


def duration(seconds):
    if seconds is None:
        return ""
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def fmt(x, digits=3):
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}g}"


def sources(dirs):
    """The report's inputs in words: folders as given, and run folders given one by one counted per parent."""
    order, given = [], defaultdict(list)
    for d in dirs:
        key = str(Path(d).parent) + "/" if (Path(d) / "summary.json").is_file() else d
        if key not in given:
            order.append(key)
        given[key].append(d)
    return ", ".join(f"`{key}` ({len(given[key])} of its run folders)" if len(given[key]) > 1 else f"`{given[key][0]}`"
                     for key in order)


def claim_inputs(variants, returns, divergence):
    """The claims' view of the imitation variants that differ only in env, learner, transform and clip: per seed,
    steps to half the expert's return, learner explosion events and instability; and each variant's row of the
    returns and divergence tables, by env and label."""
    claimed, numbers = [], {}
    for key, group in sorted(variants.items()):
        v = dict(key)
        if v["reward"] == "env" or label(v) != f"{v['algo']} {v['reward']} clip {v['clip']}":
            continue
        item = report_claims.Variant(v["env"], v["algo"], v["reward"], v["clip"], label(v), key=key)
        for r in group:
            s = r["summary"]
            learner = [step for step, event, name in r["events"] if event == "explosion" and name != "grad_norm_disc"]
            item.seeds.append(report_claims.Seed(
                reached=steps_to(r, report_claims.SHARE),
                budget=math.inf if s.get("status") == "diverged" else
                int(s.get("steps") or r["config"].get("steps", 0)),
                learner_explosions=len(learner), first_explosion=min(learner) if learner else None,
                unstable=s.get("status") == "diverged" or bool(s.get("collapsed"))))
        claimed.append(item)
    for row in divergence + returns:
        numbers.setdefault((row["env"], label(row)), {}).update(row)
    return claimed, numbers


def plot_seeds(ax, curves, name):
    """A variant's (steps, values) curves: mean and 95% band over its seeds, and each seed thin in the same colour,
    which is returned."""
    steps, mean, half, _ = mean_band(curves)
    line, = ax.plot(steps, mean, label=name)
    ax.fill_between(steps, mean - half, mean + half, color=line.get_color(), alpha=0.2)
    for seed_steps, values in curves:
        ax.plot(seed_steps, values, color=line.get_color(), linewidth=0.6, alpha=0.35)
    return line.get_color()


def fit_axis(ax, seen):
    """The y axis over every value in view, with a margin: bands that few seeds make wide are cut."""
    low, high = min(seen), max(seen)
    margin = 0.05 * (high - low) if high > low else 1.0
    ax.set_ylim(low - margin, high + margin)


def claim_figure(path, title, shown, variants):
    """Normalised evaluation return (mean and 95% band over seeds, each seed thin) and critic gradient norm of the
    variants a claim compares, up to the deterministic learners' longest budget where one is shown (ppo's 1M steps
    would squeeze them; the env's curves figure has every step)."""
    fig, (returns_ax, norms_ax) = plt.subplots(1, 2, figsize=(16, 5))
    budgets = [int(r["config"].get("steps", 0)) for v in shown if v.algo in report_claims.DETERMINISTIC
               for r in variants[v.key]]
    limit = max(budgets) if budgets else math.inf
    seen = [0.0, 1.0]  # every seed's values in view: the axis shows them all and cuts bands few seeds make wide
    for v in shown:
        runs = variants[v.key]
        curves = [(steps, np.array([normalized(r, x) for x in values]))
                  for r, (steps, values) in ((r, series(r["rows"], "eval_return")) for r in runs) if len(steps)]
        seen += [x for steps, values in curves for x in values[steps <= limit] if not math.isnan(x)]
        if curves:
            color = plot_seeds(returns_ax, curves, f"{v.label} (n={len(curves)})")
            norms = [c for c in (series(r["rows"], "grad_norm_critic") for r in runs) if len(c[0])]
            if norms:
                steps, mean, _, _ = mean_band(norms)
                norms_ax.plot(steps, np.maximum(mean, 1e-12), color=color, label=v.label)
    returns_ax.axhline(1.0, color="black", linestyle="--", linewidth=1, label="expert")
    returns_ax.axhline(report_claims.SHARE, color="grey", linestyle=":", linewidth=1)
    fit_axis(returns_ax, seen)
    returns_ax.set_ylabel("normalised evaluation return (0 random, 1 expert)")
    norms_ax.set_yscale("log")
    norms_ax.set_ylabel("critic gradient L2 norm, mean over seeds")
    for ax in (returns_ax, norms_ax):
        if budgets:
            ax.set_xlim(0, max(budgets) * 1.02)
        ax.set_xlabel("environment steps")
        ax.grid(alpha=0.3, which="both")
        ax.legend(fontsize=8)
    returns_ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def claims_section(out, variants, returns, divergence):
    """The paper's claims, where a deterministic learner imitated: their figures in `out`, the report's lines and
    the claims.csv rows. Nothing otherwise."""
    claimed, numbers = claim_inputs(variants, returns, divergence)
    if not any(v.algo in report_claims.DETERMINISTIC for v in claimed):
        return [], []
    judged = report_claims.judge(claimed)
    names = {}
    for claim in report_claims.CLAIMS:
        for env in sorted({v.env for v in claimed}):
            shown = report_claims.figure_variants(claimed, claim, env)
            if shown and judged[(claim, env)]:  # a claim the runs cannot judge gets no figure
                names[(claim, env)] = f"claim-{claim}-{env}.png"
                title = f"{env}, claim {claim}: {report_claims.SHORT[claim]}"
                claim_figure(out / names[(claim, env)], title, shown, variants)
    return report_claims.markdown(claimed, judged, numbers, names), report_claims.csv_rows(judged)


def main():
    parser = argparse.ArgumentParser(description="credo report")
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    paths = find_runs(args.dirs)
    if not paths:
        fail(f"no run folders (summary.json, metrics.csv, config.toml) under {', '.join(args.dirs)}")
    runs = [load(p) for p in paths]
    # Runs without demonstrations borrow the expert and random returns of their env's imitation runs.
    for env in {r["variant"]["env"] for r in runs}:
        same = [r["summary"] for r in runs if r["variant"]["env"] == env]
        experts = [x["expert_return"] for x in same if x.get("expert_return") is not None]
        randoms = [x["random_return"] for x in same
                   if x.get("random_return") is not None and x.get("expert_return") is not None]
        for r in runs:
            if r["variant"]["env"] == env and experts and randoms:
                r["env_expert_return"] = float(np.median(experts))
                r["env_random_return"] = float(np.median(randoms))
    # Config keys that differ between runs of the same env, algo, reward and clip (other than seed and budget) also
    # tell variants apart: a sweep over disc_updates gives one variant per value. Keys some runs lack (configs
    # of older credo versions) are not compared.
    # threads, device, disc_parallel and checkpoint_interval change how a run computes and saves, not what it
    # learns.
    ignored = {"seed", "steps", "demos", "stop_at_return", "threads", "device", "disc_parallel",
               "checkpoint_interval"}
    base_groups = defaultdict(list)
    for r in runs:
        base_groups[tuple(r["variant"].items())].append(r)
    for group in base_groups.values():
        shared = set.intersection(*[set(r["config"]) for r in group]) - ignored - set(BASE)
        differing = sorted(k for k in shared if len({json.dumps(r["config"][k]) for r in group}) > 1)
        for r in group:
            for k in differing:
                r["variant"][k] = json.dumps(r["config"][k]).replace('"', "").replace(" ", "")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    variants = defaultdict(list)
    for run in runs:
        variants[tuple(run["variant"].items())].append(run)
    envs = sorted({r["variant"]["env"] for r in runs})

    def variant_curves(keys, column):
        """(key, runs with values, steps, mean, CI half-width) per variant that has `column` values."""
        for key in sorted(keys):
            curves = [c for c in (series(r["rows"], column) for r in variants[key]) if len(c[0])]
            if curves:
                steps, mean, half, _ = mean_band(curves)
                yield key, len(curves), steps, mean, half

    def zoom_limit(keys):
        """Where some variants ran over 3x longer than others (ppo's 1M steps beside sd3's 30k), a second panel shows
        the first steps up to the longest of the shorter budgets, so their curves are not squeezed against the axis.
        None when the budgets are alike."""
        budgets = sorted({int(r["config"].get("steps", 0)) for k in keys for r in variants[k]})
        shorter = [b for b in budgets if 0 < b and 3 * b <= budgets[-1]]
        return max(shorter) if shorter else None

    def figure(keys, draw, name, title, ylabel):
        """One panel over all steps, and a zoomed one beside it where zoom_limit asks for it."""
        limit = zoom_limit(keys)
        limits = [None] if limit is None else [None, limit]
        fig, axes = plt.subplots(1, len(limits), figsize=(8 * len(limits), 5), squeeze=False)
        for ax, xmax in zip(axes[0], limits):
            draw(ax, xmax)
            if xmax is not None:
                ax.set_xlim(0, xmax * 1.02)
            ax.set_xlabel("environment steps")
            ax.set_ylabel(ylabel)
            ax.set_title(title if xmax is None else f"the first {xmax:,} steps")
            ax.grid(alpha=0.3, which="both")
            ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(out / name, dpi=110)
        plt.close(fig)

    figures = []
    for env in envs:
        keys = [k for k in variants if dict(k)["env"] == env]
        experts = sorted({r["summary"]["expert_return"] for k in keys for r in variants[k]
                          if r["summary"].get("expert_return")})

        def draw_returns(ax, xmax):
            seen = []  # every run's values in view: the axis shows them all, and cuts bands few seeds make wide
            for key in sorted(keys):
                curves = [c for c in (series(r["rows"], "eval_return") for r in variants[key]) if len(c[0])]
                if curves:
                    plot_seeds(ax, curves, f"{label(dict(key))} (n={len(curves)})")
                    seen += [x for steps, values in curves
                             for x in (values[steps <= xmax] if xmax is not None else values).tolist()]
            for e in experts:
                ax.axhline(e, color="black", linestyle="--", linewidth=1, label=f"expert demonstrations ({e:.0f})")
            if seen:
                fit_axis(ax, seen + experts)

        def draw_gradnorms(ax, xmax):
            for key, _, steps, mean, _ in variant_curves(keys, "grad_norm_critic"):
                ax.plot(steps, np.maximum(mean, 1e-12), label=label(dict(key)))
            ax.set_yscale("log")

        name = f"curves-{env}.png"
        figure(keys, draw_returns, name, f"{env}: mean and 95% confidence band over seeds",
               "evaluation return (true reward)")
        figures.append((f"Learning curves on {env}", name))
        name = f"gradnorms-{env}.png"
        figure(keys, draw_gradnorms, name, f"{env}: critic gradient norm, mean over seeds of each row's mean",
               "critic gradient L2 norm (before clipping)")
        figures.append((f"Critic gradient norms on {env}", name))

    divergence, returns, per_run, actor_rows = [], [], [], []
    for key in sorted(variants):
        v, group = dict(key), variants[key]
        n = len(group)
        exploded = [r for r in group if r["summary"].get("explosion_count", 0) > 0]
        diverged = [r for r in group if r["summary"].get("status") == "diverged"]
        firsts = [r["summary"]["first_explosion_step"] for r in exploded
                  if r["summary"].get("first_explosion_step") is not None]
        learner_firsts = [f for f in (first_explosion(r, True) for r in group) if f is not None]
        disc_firsts = [f for f in (first_explosion(r, False) for r in group) if f is not None]
        # Runs written before credo judged collapse (no "collapsed" in summary.json) are left out of its share.
        judged = [r for r in group if "collapsed" in r["summary"]]
        collapsed = [r for r in judged if r["summary"]["collapsed"]]
        collapse_steps = [r["summary"]["collapse_step"] for r in collapsed
                          if r["summary"].get("collapse_step") is not None]
        max_norms = [r["summary"]["max_grad_norm_critic"] for r in group
                     if r["summary"].get("max_grad_norm_critic") is not None]
        bound = [b for b in (clip_bound(r) for r in group) if b is not None]
        divergence.append({**v, "seeds": n, "share_with_explosions": len(exploded) / n,
                           "share_with_learner_explosions": len(learner_firsts) / n,
                           "share_with_disc_explosions": len(disc_firsts) / n,
                           "share_diverged": len(diverged) / n,
                           "share_collapsed": len(collapsed) / len(judged) if judged else None,
                           "seeds_judged_for_collapse": len(judged),
                           "median_collapse_step": float(np.median(collapse_steps)) if collapse_steps else None,
                           "median_first_explosion_step": float(np.median(firsts)) if firsts else None,
                           "median_first_learner_explosion_step":
                               float(np.median(learner_firsts)) if learner_firsts else None,
                           "median_max_grad_norm_critic": float(np.median(max_norms)) if max_norms else None,
                           "share_clip_bound": sum(bound) / len(bound) if bound else None})
        finals, lasts, bests = [], [], []
        for r in group:
            _, values = series(r["rows"], "eval_return")
            finals.append(normalized(r, values[-1]) if len(values) else float("nan"))
            lasts.append(normalized(r, float(np.mean(values[-LAST:]))) if len(values) else float("nan"))
            bests.append(normalized(r, max(values)) if len(values) else float("nan"))
        walls = [r["summary"]["wall_time_s"] for r in group if r["summary"].get("wall_time_s") is not None]
        row = {**v, "seeds": n, "steps": int(np.median([r["config"].get("steps", 0) for r in group])),
               "finished": sum(r["summary"].get("status") == "finished" for r in group),
               "median_wall_time_s": float(np.median(walls)) if walls else None}
        for name, values in (("final", finals), ("last5", lasts), ("best", bests)):
            row[f"{name}_normalized_mean"], row[f"{name}_normalized_ci95"] = mean_ci(values)
        # Runs that evaluate the target actor (eval_actor = "target") also evaluate the online actor on the same
        # episodes: the two last-5 returns of each run, and their paired difference.
        paired = []
        for r in group:
            _, target = series(r["rows"], "eval_return")
            _, online = series(r["rows"], "eval_return_actor")
            if len(online) and len(target) == len(online):
                paired.append((normalized(r, float(np.mean(target[-LAST:]))),
                               normalized(r, float(np.mean(online[-LAST:])))))
        if paired:
            actor_rows.append({"env": v["env"], "variant": label(v), "seeds": len(paired)})
            for name, values in (("target", [t for t, _ in paired]), ("online", [o for _, o in paired]),
                                 ("difference", [t - o for t, o in paired])):
                actor_rows[-1][f"{name}_last5_mean"], actor_rows[-1][f"{name}_last5_ci95"] = mean_ci(values)
        for share in SHARES:
            reached = [s for s in (steps_to(r, share) for r in group) if s is not None]
            row[f"median_steps_to_{int(share * 100)}pct"] = float(np.median(reached)) if reached else None
            row[f"seeds_reaching_{int(share * 100)}pct"] = len(reached)
        returns.append(row)
        for r, final in zip(group, finals):
            s = r["summary"]
            per_run.append({**v, "seed": s.get("seed"), "status": s.get("status"), "steps": s.get("steps"),
                            "final_eval_return": s.get("final_eval_return_mean"), "final_normalized": final,
                            "explosion_count": s.get("explosion_count"),
                            "first_explosion_step": s.get("first_explosion_step"),
                            "diverged_at_step": s.get("diverged_at_step"),
                            "collapsed": s.get("collapsed"), "collapse_step": s.get("collapse_step"),
                            "max_grad_norm_critic": s.get("max_grad_norm_critic"), "run": str(r["dir"])})

    claim_lines, claims_table = claims_section(out, variants, returns, divergence)
    tables = [("divergence.csv", divergence), ("returns.csv", returns), ("runs.csv", per_run)]
    for name, table in tables + ([("claims.csv", claims_table)] if claims_table else []):
        with open(out / name, "w", newline="") as f:
            fields = list(dict.fromkeys(k for row in table for k in row))  # variants may add swept keys
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            for row in table:
                writer.writerow({k: ("" if row.get(k) is None else row[k]) for k in fields})

    lines = ["# credo report", "", f"{len(runs)} runs in {len(variants)} variants, from: " + sources(args.dirs), ""]
    for title, name in figures:
        lines += [f"## {title}", "", f"![{title}]({name})", ""]
    lines += ["## Divergence", "", "Explosion: a gradient norm far above its threshold or running median; "
              "divergence: non-finite or runaway values; collapse: the run ends with its evaluation return below "
              "half its best, after it had learned (docs/telemetry.md).", "",
              "Shares are of seeds; the learner's networks are its critic, actor or value network, apart from the "
              "discriminator's. Collapse is judged on runs whose summary.json has it (credo since 2026-12), the "
              "count in brackets. Clip bound: seeds whose reward clip cut at least one reward (a clip that never "
              "binds computes the unclipped run).", "",
              "| env | variant | seeds | with learner explosions | with discriminator explosions | diverged | "
              "collapsed (judged) | median step the fall began | "
              "median first learner explosion step | median largest critic grad norm | clip bound |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for d in divergence:
        collapsed = (f"{d['share_collapsed']:.0%} ({d['seeds_judged_for_collapse']})"
                     if d["share_collapsed"] is not None else "- (0)")
        lines.append(f"| {d['env']} | {label(d)} | {d['seeds']} | {d['share_with_learner_explosions']:.0%} | "
                     f"{d['share_with_disc_explosions']:.0%} | {d['share_diverged']:.0%} | {collapsed} | "
                     f"{fmt(d['median_collapse_step'], 6)} | "
                     f"{fmt(d['median_first_learner_explosion_step'], 6)} | "
                     f"{fmt(d['median_max_grad_norm_critic'])} | "
                     f"{report_claims.share(d, 'share_clip_bound')} |")
    lines += ["", "## Returns", "", "Normalised return: 0 for a uniformly random policy, 1 for the demonstrations' "
              "expert (runs on the env's reward take their env's imitation runs' values).", "",
              "| env | variant | seeds (finished) | env steps | final normalised return (95% CI) | "
              f"mean of the last {LAST} evaluations (95% CI) | best normalised return (95% CI) | " +
              " | ".join(f"median steps to {share:.0%} (seeds)" for share in SHARES) + " | median wall time |",
              "|---|---|---|---|---|---|---|" + "---|" * len(SHARES) + "---|"]
    for r in returns:
        reach = " | ".join(f"{fmt(r[f'median_steps_to_{int(share * 100)}pct'], 6)} "
                           f"({r[f'seeds_reaching_{int(share * 100)}pct']})" for share in SHARES)
        lines.append(f"| {r['env']} | {label(r)} | {r['seeds']} ({r['finished']}) | {r['steps']} | "
                     f"{report_claims.with_ci(r['final_normalized_mean'], r['final_normalized_ci95'])} | "
                     f"{report_claims.with_ci(r['last5_normalized_mean'], r['last5_normalized_ci95'])} | "
                     f"{report_claims.with_ci(r['best_normalized_mean'], r['best_normalized_ci95'])} | {reach} | "
                     f"{duration(r['median_wall_time_s'])} |")
    if actor_rows:
        lines += ["", "## Target actor and online actor", "", "Runs with `eval_actor = \"target\"` evaluate the "
                  "target actor (the online actor's Polyak average) and, on the same episodes, the online actor "
                  f"(`eval_return_actor`). Normalised mean of the last {LAST} evaluations of each, and the paired "
                  "difference (target - online) over seeds, with 95% CIs.", "",
                  "| env | variant | seeds | target actor | online actor | difference |", "|---|---|---|---|---|---|"]
        for a in actor_rows:
            lines.append(f"| {a['env']} | {a['variant']} | {a['seeds']} | " + " | ".join(
                report_claims.with_ci(a[f'{name}_last5_mean'], a[f'{name}_last5_ci95'])
                for name in ("target", "online", "difference")) + " |")
    lines += [""] + claim_lines if claim_lines else []
    lines += ["", "Tables: [divergence.csv](divergence.csv), [returns.csv](returns.csv), [runs.csv](runs.csv)" +
              (", [claims.csv](claims.csv)" if claims_table else "") + ".", ""]
    (out / "report.md").write_text("\n".join(lines))
    print(f"credo report: {len(runs)} runs, {len(variants)} variants -> {out / 'report.md'}")


if __name__ == "__main__":
    main()
