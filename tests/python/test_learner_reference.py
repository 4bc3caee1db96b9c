"""Each learner's update recomputed independently with PyTorch.

`credo_reference_dump ALGO` runs credo's update on synthetic data and writes the weights before and after, the
batch, the random draws (noise) and the intermediate values it computed. Here the same update is written again
from the papers' formulas (sfujim/TD3, ling-pan/SD3, SB3's SAC, CleanRL's PPO) with plain PyTorch, and every target, loss and updated weight must
match credo's to float32 rounding.
"""

import math
import os
import subprocess

import numpy as np
import pytest
import torch
import torch.nn.functional as F

ATOL = 2e-5
RTOL = 1e-4


@pytest.fixture(scope="module")
def dump_bin():
    path = os.environ.get("CREDO_REFERENCE_DUMP")
    if not path:
        pytest.skip("CREDO_REFERENCE_DUMP is not set (run through ctest)")
    return path


def load_dump(dump_bin, tmp_path, algo):
    out = tmp_path / f"{algo}.pt"
    subprocess.run([dump_bin, algo, str(out)], check=True)
    return {k: v for k, v in torch.load(out, weights_only=False).items()}


def close(actual, expected, what):
    actual = torch.as_tensor(actual).to(torch.float64)
    expected = torch.as_tensor(expected).to(torch.float64)
    assert actual.shape == expected.shape, f"{what}: shape {tuple(actual.shape)} != {tuple(expected.shape)}"
    assert torch.allclose(actual, expected, rtol=RTOL, atol=ATOL), (
        f"{what}: max abs difference {(actual - expected).abs().max().item():.3g}")


class Nets:
    """Leaf copies of a learner's parameters, by credo's names ("critic0.fc1.weight")."""

    def __init__(self, dump, prefix):
        self.p = {k[len(prefix):]: v.clone().requires_grad_(True) for k, v in dump.items() if k.startswith(prefix)}

    def params(self, *modules):
        return [v for k, v in self.p.items() if any(k.startswith(m + ".") for m in modules)]

    def mlp(self, name, x, act=F.relu):
        n = 0
        while f"{name}.fc{n}.weight" in self.p:
            n += 1
        for i in range(n):
            x = F.linear(x, self.p[f"{name}.fc{i}.weight"], self.p[f"{name}.fc{i}.bias"])
            if i < n - 1:
                x = act(x)
        return x

    def q(self, name, s, a):
        return self.mlp(name, torch.cat([s, a], 1))

    def soft_update(self, target, source, tau):
        with torch.no_grad():
            for k, v in self.p.items():
                if k.startswith(source + "."):
                    t = self.p[target + k[len(source):]]
                    t.mul_(1 - tau).add_(v, alpha=tau)

    def hard_update(self, target, source):
        with torch.no_grad():
            for k, v in self.p.items():
                if k.startswith(source + "."):
                    self.p[target + k[len(source):]].copy_(v)

    def check(self, dump, prefix, modules, what):
        for k, v in self.p.items():
            if any(k.startswith(m + ".") for m in modules):
                close(v.detach(), dump[prefix + k], f"{what}: {k}")


def batch(dump, step, i=0):
    p = f"step{step}.batch{i}."
    return (dump[p + "observations"], dump[p + "actions"], dump[p + "rewards"], dump[p + "next_observations"],
            dump[p + "terminated"])


def cfg(dump, key):
    return dump["config." + key].item()


def squashed_sample(nets, s, eps, act_dim=3):
    """tanh(N(mu, sigma)) and its log-probability by the change of variables (Haarnoja et al. 2018, app. C)."""
    out = nets.mlp("actor.net", s)
    mu, log_std = out[:, :act_dim], out[:, act_dim:].clamp(-20, 2)
    u = mu + log_std.exp() * eps
    gauss = torch.distributions.Normal(mu, log_std.exp()).log_prob(u).sum(1, keepdim=True)
    correction = torch.log1p(-torch.tanh(u.double()) ** 2).sum(1, keepdim=True).float()
    return torch.tanh(u), gauss - correction


@pytest.mark.parametrize("algo", ["td3", "ddpg", "td3_dac"])
def test_td3_and_ddpg_update(dump_bin, tmp_path, algo):
    """td3_dac adds DAC's actor gradient clip (global norm) and its decayed actor rate (google-research
    dac/ddpg_td3.py: clip_by_global_norm(grads, 40); lfd_training_worker.py: lr * 0.5 ** (steps // 1e5))."""
    d = load_dump(dump_bin, tmp_path, algo)
    clip = cfg(d, "actor_grad_clip")
    # 200 transitions observed before the updates: the rate has been halved 200 // decay_steps times.
    actor_lr = cfg(d, "lr_actor") * cfg(d, "lr_actor_decay") ** (200 // int(cfg(d, "lr_actor_decay_steps")))
    gamma, tau = cfg(d, "gamma"), cfg(d, "tau")
    twin = cfg(d, "twin_critics") > 0
    delay = int(cfg(d, "policy_delay"))
    critics = ["critic0", "critic1"] if twin else ["critic0"]
    nets = Nets(d, "init.")
    critic_opt = torch.optim.Adam(nets.params(*critics), lr=cfg(d, "lr_critic"))
    actor_opt = torch.optim.Adam(nets.params("actor.net"), lr=actor_lr)
    steps = 1 if algo == "ddpg" else 2
    for k in range(steps):
        s, a, r, s2, term = batch(d, k)
        with torch.no_grad():
            na = torch.tanh(nets.mlp("actor_target.net", s2))
            if twin:
                noise = d[f"step{k}.target_noise"]
                assert noise.abs().max() <= cfg(d, "target_noise_clip") + 1e-7
                na = (na + noise).clamp(-1, 1)
            else:
                assert f"step{k}.target_noise" not in d, "DDPG draws no target noise"
            q_next = torch.min(*[nets.q(c.replace("critic", "critic_target"), s2, na) for c in critics]) if twin \
                else nets.q("critic_target0", s2, na)
            y = r + (1 - term) * gamma * q_next
        close(y, d[f"step{k}.target"], f"{algo} step {k} target")
        loss = sum(F.mse_loss(nets.q(c, s, a), y) for c in critics)
        close(loss.detach(), d[f"step{k}.loss_critic"], f"{algo} step {k} critic loss")
        critic_opt.zero_grad()
        loss.backward()
        critic_opt.step()
        nets.check(d, f"after{k}.", critics, f"{algo} step {k} critics")
        if (k + 1) % delay == 0:
            actor_loss = -nets.q("critic0", s, torch.tanh(nets.mlp("actor.net", s))).mean()
            close(actor_loss.detach(), d[f"step{k}.loss_actor"], f"{algo} step {k} actor loss")
            actor_opt.zero_grad()
            actor_loss.backward()
            if clip > 0:
                norm = torch.nn.utils.clip_grad_norm_(nets.params("actor.net"), clip)
                assert norm > clip, "the test's clip must act"
            actor_opt.step()
            nets.soft_update("actor_target", "actor", tau)
            for c in critics:
                nets.soft_update(c.replace("critic", "critic_target"), c, tau)
        else:
            assert f"step{k}.loss_actor" not in d, "the actor waits for the policy delay"
        nets.check(d, f"after{k}.", ["actor", "actor_target"] + [c.replace("critic", "critic_target") for c in critics],
                   f"{algo} step {k} actor and targets")


def soft_actor_critic_step(d, nets, opts, k, frozen, improve, evaluate=True):
    """One SAC-style step; `frozen` names the actor that samples next actions (TSSG's pi_k, SAC's own)."""
    gamma, tau = cfg(d, "gamma"), cfg(d, "tau")
    s, a, r, s2, term = batch(d, k)
    log_alpha = d[f"step{k}.log_alpha"]
    target_entropy = -3.0
    with torch.no_grad():
        nets_frozen = nets if frozen == "actor" else _Renamed(nets, frozen)
        na, nlogp = squashed_sample(nets_frozen, s2, d[f"step{k}.next_eps"])
        alpha = log_alpha.exp()
        y = r + (1 - term) * gamma * (torch.min(nets.q("critic_target0", s2, na), nets.q("critic_target1", s2, na))
                                      - alpha * nlogp)
    close(y, d[f"step{k}.target"], f"step {k} soft target")
    return s, y, alpha, log_alpha, target_entropy, tau


class _Renamed:
    """Nets seen through another actor's parameters (TSSG's frozen policy)."""

    def __init__(self, nets, actor):
        self.nets, self.actor = nets, actor

    def mlp(self, name, x, act=F.relu):
        return self.nets.mlp(name.replace("actor", self.actor, 1), x, act)


def test_sac_update(dump_bin, tmp_path):
    d = load_dump(dump_bin, tmp_path, "sac")
    nets = Nets(d, "init.")
    s, a, r, s2, term = batch(d, 0)
    log_alpha = d["step0.log_alpha"].clone().requires_grad_(True)
    pi_a, logp = squashed_sample(nets, s, d["step0.eps"])
    alpha = log_alpha.detach().exp()
    alpha_loss = -(log_alpha * (logp.detach() - 3.0)).mean()
    close(alpha_loss.detach(), d["step0.loss_alpha"], "sac temperature loss")
    with torch.no_grad():
        na, nlogp = squashed_sample(nets, s2, d["step0.next_eps"])
        y = r + (1 - term) * cfg(d, "gamma") * (
            torch.min(nets.q("critic_target0", s2, na), nets.q("critic_target1", s2, na)) - alpha * nlogp)
    close(y, d["step0.target"], "sac soft target")
    critic_opt = torch.optim.Adam(nets.params("critic0", "critic1"), lr=cfg(d, "lr_critic"))
    loss = 0.5 * (F.mse_loss(nets.q("critic0", s, a), y) + F.mse_loss(nets.q("critic1", s, a), y))
    close(loss.detach(), d["step0.loss_critic"], "sac critic loss")
    critic_opt.zero_grad()
    loss.backward()
    critic_opt.step()
    nets.check(d, "after0.", ["critic0", "critic1"], "sac critics")
    actor_opt = torch.optim.Adam(nets.params("actor.net"), lr=cfg(d, "lr_actor"))
    actor_loss = (alpha * logp - torch.min(nets.q("critic0", s, pi_a), nets.q("critic1", s, pi_a))).mean()
    close(actor_loss.detach(), d["step0.loss_actor"], "sac actor loss")
    actor_opt.zero_grad()
    actor_loss.backward()
    actor_opt.step()
    nets.soft_update("critic_target0", "critic0", cfg(d, "tau"))
    nets.soft_update("critic_target1", "critic1", cfg(d, "tau"))
    nets.check(d, "after0.", ["actor", "critic_target0", "critic_target1"], "sac actor and targets")


def test_tssg_two_stages(dump_bin, tmp_path):
    d = load_dump(dump_bin, tmp_path, "tssg")
    assert int(cfg(d, "evaluation_steps")) == 2 and int(cfg(d, "improvement_steps")) == 1
    nets = Nets(d, "init.")
    gamma, tau = cfg(d, "gamma"), cfg(d, "tau")
    critic_opt = torch.optim.Adam(nets.params("critic0", "critic1"), lr=cfg(d, "lr_critic"))
    actor_opt = torch.optim.Adam(nets.params("actor.net"), lr=cfg(d, "lr_actor"))
    log_alpha = d["step0.log_alpha"].clone().requires_grad_(True)
    alpha_opt = torch.optim.Adam([log_alpha], lr=cfg(d, "lr_alpha"))
    for k in range(2):
        s, a, r, s2, term = batch(d, k)
        # Stage 1: the target samples from the FROZEN policy pi_k (still the initial actor here).
        with torch.no_grad():
            na, nlogp = squashed_sample(_Renamed(nets, "frozen_actor"), s2, d[f"step{k}.next_eps"])
            y = r + (1 - term) * gamma * (torch.min(nets.q("critic_target0", s2, na),
                                                    nets.q("critic_target1", s2, na)) - log_alpha.exp() * nlogp)
        close(y, d[f"step{k}.target"], f"tssg step {k} target")
        loss = 0.5 * (F.mse_loss(nets.q("critic0", s, a), y) + F.mse_loss(nets.q("critic1", s, a), y))
        close(loss.detach(), d[f"step{k}.loss_critic"], f"tssg step {k} critic loss")
        critic_opt.zero_grad()
        loss.backward()
        critic_opt.step()
        nets.soft_update("critic_target0", "critic0", tau)
        nets.soft_update("critic_target1", "critic1", tau)
        nets.check(d, f"after{k}.", ["critic0", "critic1", "critic_target0", "critic_target1"], f"tssg step {k}")
        if k == 0:
            assert "step0.loss_actor" not in d, "no improvement before the evaluation stage is complete"
            nets.check(d, "after0.", ["actor", "frozen_actor"], "tssg actor untouched in stage 1")
            continue
        # Stage 2: improvement on the same batch, then the temperature, then pi_{k+1} <- pi.
        pi_a, logp = squashed_sample(nets, s, d["step1.eps"])
        actor_loss = (log_alpha.detach().exp() * logp
                      - torch.min(nets.q("critic0", s, pi_a), nets.q("critic1", s, pi_a))).mean()
        close(actor_loss.detach(), d["step1.loss_actor"], "tssg actor loss")
        actor_opt.zero_grad()
        actor_loss.backward()
        actor_opt.step()
        alpha_loss = -(log_alpha * (logp.detach() - 3.0)).mean()
        close(alpha_loss.detach(), d["step1.loss_alpha"], "tssg temperature loss")
        alpha_opt.zero_grad()
        alpha_loss.backward()
        alpha_opt.step()
        nets.hard_update("frozen_actor", "actor")
        nets.check(d, "after1.", ["actor", "frozen_actor"], "tssg improvement")


def test_sd3_softmax_update(dump_bin, tmp_path):
    d = load_dump(dump_bin, tmp_path, "sd3")
    gamma, tau, beta = cfg(d, "gamma"), cfg(d, "tau"), cfg(d, "beta")
    clip = cfg(d, "target_noise_clip")
    nets = Nets(d, "init.")
    for i in range(2):
        s, a, r, s2, term = batch(d, 0, i)
        eps = d[f"step0.target_noise{i}"]  # [B, K, A], unclipped, already scaled by sigma
        b, k, _ = eps.shape
        assert k == int(cfg(d, "noise_samples"))
        with torch.no_grad():
            base = torch.tanh(nets.mlp(f"actor_target{i}.net", s2))
            acts = (base[:, None, :] + eps.clamp(-clip, clip)).clamp(-1, 1).reshape(b * k, -1)
            s2k = s2[:, None, :].expand(b, k, s2.shape[1]).reshape(b * k, -1)
            q = torch.min(nets.q("critic_target0", s2k, acts), nets.q("critic_target1", s2k, acts)).reshape(b, k)
            # softmax_beta(Q) = sum_k exp(beta q_k) q_k / sum_k exp(beta q_k)  (Pan et al. 2020, eq. 3 estimate)
            w = torch.exp(beta * (q.double() - q.double().max(1, keepdim=True).values))
            soft = ((w * q.double()).sum(1, keepdim=True) / w.sum(1, keepdim=True)).float()
            y = r + (1 - term) * gamma * soft
        close(y, d[f"step0.target{i}"], f"sd3 target {i}")
        critic_opt = torch.optim.Adam(nets.params(f"critic{i}"), lr=cfg(d, "lr_critic"))
        loss = F.mse_loss(nets.q(f"critic{i}", s, a), y)
        close(loss.detach(), d[f"step0.loss_critic{i}"], f"sd3 critic loss {i}")
        critic_opt.zero_grad()
        loss.backward()
        critic_opt.step()
        actor_opt = torch.optim.Adam(nets.params(f"actor{i}.net"), lr=cfg(d, "lr_actor"))
        actor_loss = -nets.q(f"critic{i}", s, torch.tanh(nets.mlp(f"actor{i}.net", s))).mean()
        close(actor_loss.detach(), d[f"step0.loss_actor{i}"], f"sd3 actor loss {i}")
        actor_opt.zero_grad()
        actor_loss.backward()
        actor_opt.step()
        nets.soft_update(f"actor_target{i}", f"actor{i}", tau)
        nets.soft_update(f"critic_target{i}", f"critic{i}", tau)
    nets.check(d, "after0.", ["actor0", "actor1", "critic0", "critic1", "actor_target0", "actor_target1",
                              "critic_target0", "critic_target1"], "sd3 after both halves")


def test_ppo_update(dump_bin, tmp_path):
    d = load_dump(dump_bin, tmp_path, "ppo")
    gamma, lam, clip = cfg(d, "gamma"), cfg(d, "gae_lambda"), cfg(d, "clip_coef")
    nets = Nets(d, "init.")
    obs, actions = d["step0.observations"], d["step0.actions"]
    log_std = nets.p["actor.log_std"]
    tanh = torch.tanh

    def policy(x):
        return torch.distributions.Normal(nets.mlp("actor.net", x, tanh), log_std.exp())

    with torch.no_grad():
        close(policy(obs).log_prob(actions).sum(1), d["step0.old_log_probs"], "ppo log-probabilities at acting")
        close(nets.mlp("critic", obs, tanh).squeeze(1), d["step0.old_values"], "ppo values at acting")

    # Gymnasium's NormalizeReward, then the clip (CleanRL's ppo_continuous_action.py wrappers), in float64 like numpy.
    env_r = d["step0.env_rewards"].double().numpy()
    term = d["step0.terminated"].double().numpy()
    mean, var, count, g = 0.0, 1.0, 1e-4, 0.0
    rewards = np.zeros_like(env_r)
    for t in range(len(env_r)):
        g = g * gamma * (1 - term[t]) + env_r[t]
        delta, total = g - mean, count + 1
        mean, var, count = mean + delta / total, (var * count + delta ** 2 * count / total) / total, total
        rewards[t] = np.clip(env_r[t] / math.sqrt(var + 1e-8), -10, 10)
    close(torch.tensor(rewards), d["step0.rewards"], "ppo normalised rewards")

    # GAE (Schulman et al. 2016, eq. 16).
    values = d["step0.old_values"].double().numpy()
    last = d["step0.last_value"].item()
    adv = np.zeros_like(rewards)
    running = 0.0
    for t in reversed(range(len(rewards))):
        next_v = values[t + 1] if t + 1 < len(rewards) else last
        delta = rewards[t] + gamma * next_v * (1 - term[t]) - values[t]
        running = delta + gamma * lam * (1 - term[t]) * running
        adv[t] = running
    close(torch.tensor(adv), d["step0.advantages"], "ppo advantages")
    close(torch.tensor(adv + values), d["step0.returns"], "ppo returns")

    # The whole update: epochs of shuffled minibatches, clipped surrogate, clipped value loss, gradient clip.
    advantages, returns = d["step0.advantages"][:, None], d["step0.returns"][:, None]
    old_lp, old_v = d["step0.old_log_probs"][:, None], d["step0.old_values"][:, None]
    params = nets.params("actor", "critic")
    opt = torch.optim.Adam(params, lr=cfg(d, "lr"), eps=1e-5)
    mb = int(cfg(d, "minibatch_size"))
    for epoch in range(int(cfg(d, "epochs"))):
        order = d[f"step0.order{epoch}"]
        assert sorted(order.tolist()) == list(range(len(order))), "each epoch is a permutation"
        for start in range(0, len(order), mb):
            idx = order[start:start + mb]
            dist = policy(obs[idx])
            ratio = (dist.log_prob(actions[idx]).sum(1, keepdim=True) - old_lp[idx]).exp()
            a = advantages[idx]
            a = (a - a.mean()) / (a.std() + 1e-8)
            pg = torch.max(-a * ratio, -a * ratio.clamp(1 - clip, 1 + clip)).mean()
            v = nets.mlp("critic", obs[idx], tanh)
            v_clipped = old_v[idx] + (v - old_v[idx]).clamp(-clip, clip)
            v_loss = 0.5 * torch.max((v - returns[idx]) ** 2, (v_clipped - returns[idx]) ** 2).mean()
            if epoch == 0 and start == 0:
                close(pg.detach(), d["step0.loss_actor"], "ppo first surrogate loss")
                close(v_loss.detach(), d["step0.loss_critic"], "ppo first value loss")
            loss = pg + cfg(d, "vf_coef") * v_loss - cfg(d, "ent_coef") * dist.entropy().sum(1).mean()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, cfg(d, "max_grad_norm"))
            opt.step()
    nets.check(d, "after0.", ["actor", "critic"], "ppo weights after the update")


def test_discriminator_update_with_gradient_penalty(dump_bin, tmp_path):
    """DAC's discriminator loss (google-research dac/gail.py): the weighted mean cross-entropy of expert samples
    (label 1) plus the mean of the imitator's (label 0), plus 10 x mean((||grad_x z(x)|| - 1)^2) at
    x = alpha x_imitator + (1 - alpha) x_expert; value, gradients and the Adam step recomputed with PyTorch."""
    d = load_dump(dump_bin, tmp_path, "discriminator")
    nets = Nets(d, "init.")
    params = list(nets.p.values())

    def disc(x):
        for i in range(3):
            x = F.linear(x, nets.p[f"fc{i}.weight"], nets.p[f"fc{i}.bias"])
            if i < 2:
                x = torch.tanh(x)
        return x

    expert = torch.cat([d["expert_obs"], d["expert_actions"]], 1)
    policy = torch.cat([d["policy_obs"], d["policy_actions"]], 1)
    w = d["expert_weights"]
    cross_entropy = (w * F.softplus(-disc(expert))).mean() + F.softplus(disc(policy)).mean()
    alpha = d["alpha"]
    mixed = (alpha * policy + (1 - alpha) * expert).requires_grad_(True)
    grad = torch.autograd.grad(disc(mixed).sum(), mixed, create_graph=True)[0]
    penalty = ((grad.norm(dim=1) - 1) ** 2).mean()
    loss = cross_entropy + 10.0 * penalty
    close(penalty.detach(), d["penalty"], "gradient penalty")
    close(loss.detach(), d["loss"], "discriminator loss")
    opt = torch.optim.Adam(params, lr=1e-3)
    opt.zero_grad()
    loss.backward()
    for k, v in nets.p.items():
        close(v.grad, d["grad." + k], f"gradient of {k}")
    opt.step()
    nets.check(d, "after.", ["fc0", "fc1", "fc2"], "discriminator after one Adam step")
