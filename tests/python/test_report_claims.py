"""The paper's claims as `credo report` judges them (scripts/report_claims.py), on synthetic seeds whose answers are
known: the exact permutation tests, seeds that never reached the share within their budget, and the verdicts."""
import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import report_claims as rc  # noqa: E402


def seed(reached=None, budget=300_000, events=0, unstable=False):
    return rc.Seed(reached=reached, budget=budget, learner_explosions=events,
                   first_explosion=1000 if events else None, unstable=unstable)


def variant(algo, clip, seeds, env="Hopper-v5", reward="airl"):
    return rc.Variant(env, algo, reward, clip, f"{algo} {reward} clip {clip}", seeds)


def test_the_permutation_p_value_is_exact():
    early, late = [seed(r) for r in (10, 20, 30)], [seed(r) for r in (40, 50, 60)]
    assert rc.permutation_p(early, late, rc.earlier) == pytest.approx(1 / 20)  # 1 split of C(6, 3) is as extreme
    assert rc.permutation_p(late, early, rc.earlier) == pytest.approx(1.0)
    same = [seed(10)] * 3
    assert rc.permutation_p(same, same, rc.earlier) == pytest.approx(1.0)
    # One swap: splits with a statistic at least the observed 7 are the observed one and the all-early one.
    assert rc.permutation_p([seed(r) for r in (10, 20, 45)], [seed(r) for r in (30, 50, 60)], rc.earlier) \
        == pytest.approx(2 / 20)


def test_a_seed_that_never_got_there_is_only_known_to_be_beyond_its_budget():
    assert rc.earlier(seed(80_000), seed(None, budget=100_000)) == 1
    assert rc.earlier(seed(120_000), seed(None, budget=100_000)) == 0  # it might have got there at 110k
    assert rc.earlier(seed(None, budget=100_000), seed(None, budget=300_000)) == 0
    assert rc.earlier(seed(None, budget=math.inf), seed(900_000)) == -1  # a diverged run never gets there
    assert rc.earlier(seed(50_000), seed(50_000)) == 0


def test_stable_slower_stochastic_learners_support_claim_2():
    td3 = variant("td3", "off", [seed(r) for r in (60_000, 65_000, 70_000, 75_000, 80_000)])
    ppo = variant("ppo", "off", [seed(r) for r in (200_000, 250_000, 300_000)], reward="gail")
    checks = rc.claim2([td3, ppo], "Hopper-v5")
    assert [c.result for c in checks] == ["yes", "yes", "yes"]
    assert rc.verdict(checks) == "supported"
    ppo.seeds[0].learner_explosions = 3
    assert rc.verdict(rc.claim2([td3, ppo], "Hopper-v5")) == "mixed"


def test_a_shorter_budget_cannot_show_who_is_faster():
    # sd3 ran 50k steps and never reached half the expert; ppo got there at 120k-140k: the order is unknown.
    sd3 = variant("sd3", "5", [seed(None, budget=50_000)] * 3)
    ppo = variant("ppo", "off", [seed(r) for r in (120_000, 130_000, 140_000)], reward="gail")
    checks = rc.claim3([sd3, ppo], "Hopper-v5")
    assert [c.result for c in checks] == ["yes", "unclear"]
    assert rc.verdict(checks) == "mixed"


def test_claim_1_needs_explosions_and_divergence():
    exploding = variant("td3", "off", [seed(100_000, events=2, unstable=True), seed(90_000), seed(80_000)])
    assert rc.verdict(rc.claim1([exploding], "Hopper-v5")) == "supported"
    quiet = variant("td3", "off", [seed(100_000, events=2), seed(90_000), seed(80_000)])
    assert [c.result for c in rc.claim1([quiet], "Hopper-v5")] == ["yes", "no"]
    assert rc.verdict(rc.claim1([quiet], "Hopper-v5")) == "mixed"
    assert rc.verdict(rc.claim1([], "Hopper-v5")) == "not measured"


def test_two_sided_speed_checks_say_unclear_where_the_seeds_cannot_tell():
    fast, slow = [seed(r) for r in (10, 20, 30)], [seed(r) for r in (40, 50, 60)]
    three = rc.speed_check(variant("td3", "5", fast), variant("td3", "off", slow), "differ", "differs")
    assert three.result == "unclear" and "0.1" in three.evidence  # 2 / C(6, 3): never below 0.05
    five = rc.speed_check(variant("td3", "5", fast + [seed(35), seed(36)]),
                          variant("td3", "off", slow + [seed(70), seed(80)]), "differ", "differs")
    assert five.result == "yes"
    alike = rc.speed_check(variant("td3", "5", [seed(r) for r in (10, 40, 50, 60, 20)]),
                           variant("td3", "off", [seed(r) for r in (15, 45, 55, 65, 25)]), "differ", "differs")
    assert alike.result == "no"


def test_claim_4_reads_the_transform_in_the_predecessor_papers_direction():
    airl = variant("td3", "off", [seed(1, events=0)] * 3)
    gail = variant("td3", "off", [seed(1, events=e) for e in (4, 5, 6)], reward="gail")
    transform = [c for c in rc.claim4([airl, gail], "Hopper-v5") if "gail gives more" in c.question]
    assert [c.result for c in transform] == ["yes"]
    transform = [c for c in rc.claim4([variant("td3", "off", gail.seeds), variant("td3", "off", airl.seeds,
                                                                                   reward="gail")], "Hopper-v5")
                 if "gail gives more" in c.question]
    assert [c.result for c in transform] == ["no"]


def test_the_main_transform_is_the_one_most_runs_use():
    many = variant("td3", "off", [seed(1)] * 5)
    few = variant("td3", "off", [seed(1)] * 3, reward="gail")
    assert rc.main_variants([few, many], "Hopper-v5", rc.DETERMINISTIC, "off") == {"td3": many}


@pytest.mark.parametrize("auto, expected", [(0.95, "within"), (1.2, "above"), (0.5, "below by 0.4")])
def test_the_adaptive_clip_is_held_against_the_best_fixed_setting(auto, expected):
    variants = [variant("td3", c, [seed(1)] * 3) for c in ("off", "5", "auto")]
    finals = {("Hopper-v5", "td3 airl clip off"): (0.7, 0.1), ("Hopper-v5", "td3 airl clip 5"): (1.0, 0.1),
              ("Hopper-v5", "td3 airl clip auto"): (auto, 0.05)}
    numbers = {key: {"final_normalized_mean": mean, "final_normalized_ci95": ci} for key, (mean, ci) in finals.items()}
    [(v, mean, ci, fixed, best, result)] = rc.adaptive_rows(variants, numbers)
    assert best.label == "td3 airl clip 5" and len(fixed) == 2
    assert result == expected
