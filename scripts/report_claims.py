"""The paper's four claims (arXiv 2312.11214, "Exploring Gradient Explosion in Generative Adversarial Imitation
Learning: A Probabilistic Perspective"), judged per task from the runs of a `credo report`:

1. GAIL with a deterministic learner (ddpg, td3, sd3) and no clip shows explosion events and divergence in a
   measurable share of seeds.
2. GAIL with a stochastic learner (ppo, tssg) shows neither, and needs more env steps to reach a given return.
3. With CREDO's clip (c = 5, the paper's threshold) the deterministic learners do not diverge, and they reach a
   given share of the expert's return in fewer env steps than the stochastic ones.
4. The reward transform changes the explosion rate; the clip threshold c changes stability and speed.

Each claim becomes checks, one per learner or pair of variants, each answered yes, no or unclear, and a verdict
per task: supported (every check yes), not supported (none yes), mixed (the rest), not measured (no check: the
runs lack the variants). What the checks read, per seed:
- "unstable": the run diverged (non-finite or runaway values) or collapsed (its return fell below half its best
  after it had learned and stayed there; docs/telemetry.md).
- learner explosion events: events.csv rows of the learner's own networks (critic, actor, value), not the
  discriminator's.
- steps to half the expert's return (normalised return 0.5), where a seed that never got there is known only to
  need more than its budget.
Shares ("in a measurable share", "shows none") are read as they are. Comparisons between two variants ("fewer
steps", "more explosion events") are exact permutation tests at p <= 0.05 on every split of the pooled seeds, with
Gehan's generalisation of the Wilcoxon rank-sum statistic: a pair of seeds counts +1 or -1 where their order is
known and 0 where it is not (two seeds that never got there; one that got there after the other's budget ran out).
One-sided where the claim gives a direction, two-sided for claim 4's "changes speed". A check is yes when the
claimed direction is significant, no when the other one is (or, for a two-sided check, when neither is and the seeds
could have shown it), and unclear when neither is, or when so few seeds cannot reach p <= 0.05 at all (3 against
3 seeds, two-sided: the smallest p is 0.1).

Claim 4's transform check takes its direction from the paper's predecessor (Instability in GAIL with deterministic
policy, ICLR 2023 submission: the AIRL-style reward log D - log(1 - D) relieves exploding gradients), so: the
`gail` transform -log(1 - D) gives more learner explosion events per seed than `airl`.

The claims read the variants that differ only in env, learner, transform and clip (a variant with another swept key
is left out), and each learner's main transform on the task (the one most of its runs use; the stochastic
learners may use another, ppo its `gail`).
"""
import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

DETERMINISTIC = ("ddpg", "td3", "sd3")
STOCHASTIC = ("ppo", "tssg")
PAPER_CLIP = "5"  # CREDO's threshold in the paper's experiments
SHARE = 0.5  # the share of the expert's return whose first crossing the speed checks compare
ALPHA = 0.05
CLAIMS = {
    1: "Deterministic learners without the clip explode and diverge in a measurable share of seeds",
    2: "Stochastic learners neither explode nor diverge, and need more env steps to reach half the expert's return",
    3: "With CREDO's clip (c = 5) deterministic learners do not diverge and reach half the expert's return in "
       "fewer env steps than the stochastic learners",
    4: "The reward transform changes the explosion rate; the clip threshold c changes stability and speed",
}


@dataclass
class Seed:
    reached: float | None  # env steps to SHARE of the expert's return; None: not within the budget
    budget: float  # env steps the run had to get there (inf for a diverged run, which never will)
    learner_explosions: int
    first_explosion: int | None  # env step of the first learner explosion event
    unstable: bool


@dataclass
class Variant:
    env: str
    algo: str
    reward: str
    clip: str  # "off", "auto" or the threshold
    label: str
    seeds: list = field(default_factory=list)
    key: tuple = ()  # the report's variant key, for its figures


@dataclass
class Check:
    subject: str
    question: str
    result: str  # yes, no, unclear
    evidence: str


def earlier(a, b):
    """+1 when seed a is known to reach SHARE before seed b, -1 when known after, 0 when the order is unknown."""
    def before(p, q):
        if p.reached is None:
            return False
        return p.reached < q.reached if q.reached is not None else p.reached <= q.budget
    return 1 if before(a, b) else -1 if before(b, a) else 0


def fewer_explosions(a, b):
    return (a.learner_explosions < b.learner_explosions) - (a.learner_explosions > b.learner_explosions)


def fewer_unstable(a, b):
    return int(b.unstable) - int(a.unstable)


def permutation_p(x, y, compare):
    """Exact one-sided p-value that x's seeds come first under `compare` (+1: first argument first): the share of
    splits of the pooled seeds into groups of x's and y's sizes whose statistic, the sum of compare over the pairs
    across the groups, is at least the observed one."""
    pooled = list(x) + list(y)
    n, k = len(pooled), len(x)
    score = [[compare(a, b) for b in pooled] for a in pooled]

    def statistic(group):
        inside = set(group)
        return sum(score[i][j] for i in group for j in range(n) if j not in inside)

    observed = statistic(range(k))
    splits = list(combinations(range(n), k))
    return sum(statistic(s) >= observed for s in splits) / len(splits)


def smallest_p(x, y, two_sided):
    """The smallest p-value any outcome of these seed counts can give (every x seed before every y seed)."""
    p = 1 / math.comb(len(x) + len(y), len(x))
    return min(1.0, 2 * p) if two_sided else p


def directional(x, y, compare):
    """yes when x comes first significantly, no when y does, unclear otherwise; and the two p-values."""
    if not x or not y:
        return "unclear", float("nan"), float("nan")
    p_x, p_y = permutation_p(x, y, compare), permutation_p(y, x, compare)
    return ("yes" if p_x <= ALPHA else "no" if p_y <= ALPHA else "unclear"), p_x, p_y


def median_steps(seeds):
    """Median steps to SHARE with seeds that never got there counted as beyond every budget; text."""
    values = sorted(s.reached if s.reached is not None else math.inf for s in seeds)
    if not values:
        return "-"
    mid = len(values) // 2
    median = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    return "not reached" if math.isinf(median) else f"{median:,.0f}"


def reach_text(v):
    """The median over every seed (median_steps), said as such: the variant tables' medians are over the seeds
    that got there only."""
    n, missed = len(v.seeds), sum(s.reached is None for s in v.seeds)
    never = "all got there" if not missed else f"{missed} never got there"
    return f"{median_steps(v.seeds)} (median of {seeds_text(n)}, {never})"


def seeds_text(n):
    return f"{n} seed" if n == 1 else f"{n} seeds"


def share_text(v, has):
    k = sum(has(s) for s in v.seeds)
    return f"{k} of {seeds_text(len(v.seeds))}"


def main_variants(variants, env, algos, clip):
    """Per learner, its variant on `env` with this clip and the learner's main transform there."""
    out = {}
    for algo in algos:
        own = [v for v in variants if v.env == env and v.algo == algo]
        if not own:
            continue
        runs = Counter()
        for v in own:
            runs[v.reward] += len(v.seeds)
        main = sorted(runs.items(), key=lambda item: (-item[1], item[0]))[0][0]
        match = [v for v in own if v.reward == main and v.clip == clip]
        if match:
            out[algo] = match[0]
    return out


def speed_check(v, other, question, claim):
    """Does v reach SHARE "sooner" or "later" than other, or do the two "differ" (two-sided)?"""
    sooner, p_v, p_o = directional(v.seeds, other.seeds, earlier)
    evidence = f"steps to {SHARE:.0%}: {reach_text(v)} against {reach_text(other)}"
    if claim == "differs":
        p = min(1.0, 2 * min(p_v, p_o))
        floor = smallest_p(v.seeds, other.seeds, True)
        result = "yes" if p <= ALPHA else "unclear" if floor > ALPHA else "no"
        note = f" (the smallest possible with these seeds: {floor:.2g})" if floor > ALPHA else ""
        return Check(v.label, question, result, f"{evidence}; two-sided p = {p:.3g}{note}")
    if claim == "later":
        result = {"yes": "no", "no": "yes"}.get(sooner, "unclear")
        return Check(v.label, question, result, f"{evidence}; p = {p_o:.3g}, the other way {p_v:.3g}")
    return Check(v.label, question, sooner, f"{evidence}; p = {p_v:.3g}, the other way {p_o:.3g}")


def claim1(variants, env):
    checks = []
    for algo, v in main_variants(variants, env, DETERMINISTIC, "off").items():
        firsts = sorted(s.first_explosion for s in v.seeds if s.first_explosion is not None)
        at = "the first at step" if len(firsts) == 1 else "the first at steps"
        when = f", {at} {', '.join(f'{f:,}' for f in firsts)}" if firsts else ""
        checks.append(Check(v.label, "explosion events in the learner's networks",
                            "yes" if firsts else "no", share_text(v, lambda s: s.learner_explosions > 0) + when))
        checks.append(Check(v.label, "diverged or collapsed", "yes" if any(s.unstable for s in v.seeds) else "no",
                            share_text(v, lambda s: s.unstable)))
    return checks


def claim2(variants, env):
    checks = []
    deterministic = main_variants(variants, env, DETERMINISTIC, "off")
    for algo, v in main_variants(variants, env, STOCHASTIC, "off").items():
        checks.append(Check(v.label, "no explosion events in the learner's networks",
                            "no" if any(s.learner_explosions for s in v.seeds) else "yes",
                            share_text(v, lambda s: s.learner_explosions > 0) + " with events"))
        checks.append(Check(v.label, "neither diverged nor collapsed",
                            "no" if any(s.unstable for s in v.seeds) else "yes",
                            share_text(v, lambda s: s.unstable) + " diverged or collapsed"))
        for d in deterministic.values():
            checks.append(speed_check(v, d, f"needs more steps to {SHARE:.0%} than {d.label}", "later"))
    return checks


def claim3(variants, env):
    checks = []
    stochastic = main_variants(variants, env, STOCHASTIC, "off")
    unclipped = main_variants(variants, env, DETERMINISTIC, "off")
    for algo, v in main_variants(variants, env, DETERMINISTIC, PAPER_CLIP).items():
        without = (f"; without the clip {share_text(unclipped[algo], lambda s: s.unstable)}"
                   if algo in unclipped else "")
        checks.append(Check(v.label, "neither diverged nor collapsed", "no" if any(s.unstable for s in v.seeds)
                            else "yes", share_text(v, lambda s: s.unstable) + " diverged or collapsed" + without))
        for s in stochastic.values():
            checks.append(speed_check(v, s, f"fewer steps to {SHARE:.0%} than {s.label}", "sooner"))
    return checks


def claim4(variants, env):
    checks = []
    for algo in DETERMINISTIC:
        own = [v for v in variants if v.env == env and v.algo == algo]
        by = {(v.reward, v.clip): v for v in own}
        for clip in sorted({v.clip for v in own}):
            if ("gail", clip) in by and ("airl", clip) in by:
                airl, gail = by[("airl", clip)], by[("gail", clip)]
                result, p_a, p_g = directional(airl.seeds, gail.seeds, fewer_explosions)
                counts = lambda v: ", ".join(str(s.learner_explosions) for s in v.seeds)  # noqa: E731
                checks.append(Check(f"{algo} clip {clip}", "gail gives more learner explosion events than airl",
                                    result, f"events per seed: gail {counts(gail)}; airl {counts(airl)}; "
                                            f"p = {p_a:.3g}, the other way {p_g:.3g}"))
        for (reward, clip), v in sorted(by.items()):
            off = by.get((reward, "off"))
            if off is None or clip in ("off", "auto"):
                continue
            events = lambda u: sorted(s.learner_explosions for s in u.seeds)  # noqa: E731
            result, p_c, p_o = directional(v.seeds, off.seeds, fewer_explosions)
            checks.append(Check(v.label, "fewer learner explosion events than without the clip", result,
                                f"events per seed {events(v)} against {events(off)}; p = {p_c:.3g}, "
                                f"the other way {p_o:.3g}"))
            result, p_c, p_o = directional(v.seeds, off.seeds, fewer_unstable)
            if not any(s.unstable for s in v.seeds + off.seeds):
                result = "no"
            unstable = [share_text(u, lambda s: s.unstable) for u in (v, off)]
            checks.append(Check(v.label, "fewer seeds diverged or collapsed than without the clip", result,
                                " against ".join(unstable)))
            checks.append(speed_check(v, off, f"steps to {SHARE:.0%} differ from without the clip", "differs"))
    return checks


SHORT = {1: "deterministic learners without the clip", 2: "stochastic learners against deterministic ones",
         3: "CREDO's clip (c = 5) against the stochastic learners", 4: "transforms and clip thresholds"}
JUDGES = {1: claim1, 2: claim2, 3: claim3, 4: claim4}


def verdict(checks):
    if not checks:
        return "not measured"
    yes = sum(c.result == "yes" for c in checks)
    return "supported" if yes == len(checks) else "not supported" if yes == 0 else "mixed"


def judge(variants):
    """{(claim, env): checks} for every task the variants cover."""
    envs = sorted({v.env for v in variants})
    return {(claim, env): JUDGES[claim](variants, env) for claim in CLAIMS for env in envs}


def figure_variants(variants, claim, env):
    """The variants a claim's figure on `env` shows."""
    deterministic_off = main_variants(variants, env, DETERMINISTIC, "off")
    stochastic = main_variants(variants, env, STOCHASTIC, "off")
    if claim == 1:
        shown = list(deterministic_off.values())
    elif claim == 2:
        shown = list(stochastic.values()) + list(deterministic_off.values())
    elif claim == 3:
        shown = list(main_variants(variants, env, DETERMINISTIC, PAPER_CLIP).values()) + list(stochastic.values())
    else:
        shown = [v for v in variants if v.env == env and v.algo in DETERMINISTIC and v.clip != "auto"]
    return shown


@dataclass
class Fixed:
    label: str
    mean: float
    ci: float


def adaptive_rows(variants, numbers):
    """Per task and deterministic learner with the adaptive clip: its mean final normalised return against the best
    fixed setting of the same transform (highest mean; clip off or a threshold). `numbers` maps a variant's env and
    label to its row of the report's tables (final_normalized_mean and _ci95 read here)."""
    finals = {key: (row["final_normalized_mean"], row["final_normalized_ci95"]) for key, row in numbers.items()}
    rows = []
    for v in sorted(variants, key=lambda u: (u.env, u.algo)):
        if v.clip != "auto":
            continue
        fixed = [Fixed(u.label, *finals[(u.env, u.label)]) for u in variants
                 if (u.env, u.algo, u.reward) == (v.env, v.algo, v.reward) and u.clip != "auto"]
        fixed = [f for f in fixed if not math.isnan(f.mean)]
        if not fixed:
            continue
        best = max(fixed, key=lambda f: f.mean)
        mean, ci = finals[(v.env, v.label)]
        low = best.mean - (best.ci if not math.isnan(best.ci) else 0.0)
        result = ("above" if mean > best.mean + (best.ci if not math.isnan(best.ci) else 0.0)
                  else "within" if mean >= low else f"below by {low - mean:.3g}")
        rows.append((v, mean, ci, fixed, best, result))
    return rows


def fmt(x):
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3g}"


def with_ci(mean, ci):
    """A mean and its 95% interval's half-width; the mean alone where there is no interval (one seed)."""
    return f"{fmt(mean)} +- {fmt(ci)}" if fmt(ci) else fmt(mean)


def share(row, key):
    value = row.get(key)
    return "-" if value is None else f"{value:.0%}"


def reach(row, percent):
    steps, seeds = row.get(f"median_steps_to_{percent}pct"), row.get(f"seeds_reaching_{percent}pct", 0)
    return f"{steps:,.0f} ({seeds})" if steps is not None else f"- ({seeds})"


def variant_table(shown, numbers):
    """The numbers of the variants a claim compares on one task, from the report's returns and divergence tables."""
    lines = ["| env | variant | seeds | with learner explosions | diverged | collapsed | median steps to 50% (seeds that "
             "got there) | median steps to 90% (seeds that got there) | final normalised return (95% CI) | best (95% CI) "
             "| clip bound |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for v in shown:
        row = numbers[(v.env, v.label)]
        lines.append(f"| {v.env} | {v.label} | {row['seeds']} | {share(row, 'share_with_learner_explosions')} | "
                     f"{share(row, 'share_diverged')} | {share(row, 'share_collapsed')} | {reach(row, 50)} | "
                     f"{reach(row, 90)} | {with_ci(row['final_normalized_mean'], row['final_normalized_ci95'])} | "
                     f"{with_ci(row['best_normalized_mean'], row['best_normalized_ci95'])} | "
                     f"{share(row, 'share_clip_bound')} |")
    return lines


def markdown(variants, judged, numbers, figure_names):
    """The report's section on the paper's claims (`judged`: judge(variants)): per claim, the verdict per task, its
    figures and its checks; then the adaptive clip against the fixed settings."""
    envs = sorted({v.env for v in variants})
    lines = ["## The paper's claims", "",
             "Per claim and task, from the report's variants (scripts/report_claims.py says how each check is read): "
             "supported where every check is yes, not supported where none is, mixed otherwise. Speed is env steps "
             f"to {SHARE:.0%} of the expert's return (median over seeds; a seed that never got there counts as "
             f"beyond its budget); comparisons are exact permutation tests at p <= {ALPHA}.", "",
             "| claim | " + " | ".join(envs) + " |", "|---|" + "---|" * len(envs)]
    for claim in CLAIMS:
        lines.append(f"| {claim}. {CLAIMS[claim]} | " +
                     " | ".join(f"{verdict(judged[(claim, env)])} "
                                f"({sum(c.result == 'yes' for c in judged[(claim, env)])} of "
                                f"{len(judged[(claim, env)])} checks)" for env in envs) + " |")
    for claim in CLAIMS:
        lines += ["", f"### Claim {claim}: {CLAIMS[claim]}", ""]
        for env in envs:
            name = figure_names.get((claim, env))
            if name:
                lines += [f"![Claim {claim} on {env}]({name})", ""]
                lines += variant_table(figure_variants(variants, claim, env), numbers) + [""]
        lines += ["| env | variant | check | result | evidence |", "|---|---|---|---|---|"]
        for env in envs:
            for c in judged[(claim, env)]:
                lines.append(f"| {env} | {c.subject} | {c.question} | {c.result} | {c.evidence} |")
            lines.append(f"| {env} | | **verdict** | **{verdict(judged[(claim, env)])}** | |")
    rows = adaptive_rows(variants, numbers)
    if rows:
        lines += ["", "### The adaptive clip against the fixed settings", "",
                  "Mean final normalised return (95% CI) of each learner with `clip = \"auto\"` against the best "
                  "fixed setting of the same transform (the highest mean): within or above its interval, or below "
                  "it by how much.", "",
                  "| env | adaptive clip | final normalised return | fixed settings | best fixed | result |",
                  "|---|---|---|---|---|---|"]
        for v, mean, ci, fixed, best, result in rows:
            others = "; ".join(f"{f.label}: {with_ci(f.mean, f.ci)}" for f in fixed)
            lines.append(f"| {v.env} | {v.label} | {with_ci(mean, ci)} | {others} | {best.label} | {result} |")
    return lines


def csv_rows(judged):
    return [{"claim": claim, "env": env, "variant": c.subject, "check": c.question, "result": c.result,
             "evidence": c.evidence, "verdict": verdict(checks)}
            for (claim, env), checks in sorted(judged.items()) for c in checks]
