"""CleanRL-style single-file training loops for the speed comparison in bench/learner_throughput.py.

CleanRL's current scripts live on GitHub only (its PyPI package is an old gym/pybullet version), so this file
re-creates the per-step work of cleanrl/{td3,sac}_continuous_action.py and ppo_continuous_action.py with the
same hyperparameters: one Gymnasium env, SB3's ReplayBuffer, plain PyTorch networks and updates. It exists to be
timed, not to be a library. Usage: python cleanrl_style.py ALGO STEPS LEARNING_START THREADS -> prints JSON.
"""
import json
import sys
import time

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from stable_baselines3.common.buffers import ReplayBuffer


def float32_space(env):
    """The observation space as CleanRL declares it for its buffer: float32, so batches are float32 tensors."""
    return gym.spaces.Box(-np.inf, np.inf, env.observation_space.shape, np.float32)


def mlp(i, o, h=256):
    return nn.Sequential(nn.Linear(i, h), nn.ReLU(), nn.Linear(h, h), nn.ReLU(), nn.Linear(h, o))


def run_td3(env, steps, start):
    obs_dim, act_dim = env.observation_space.shape[0], env.action_space.shape[0]
    actor, actor_t = mlp(obs_dim, act_dim), mlp(obs_dim, act_dim)
    qf1, qf2, qf1_t, qf2_t = (mlp(obs_dim + act_dim, 1) for _ in range(4))
    actor_t.load_state_dict(actor.state_dict())
    qf1_t.load_state_dict(qf1.state_dict())
    qf2_t.load_state_dict(qf2.state_dict())
    q_opt = torch.optim.Adam(list(qf1.parameters()) + list(qf2.parameters()), lr=3e-4)
    a_opt = torch.optim.Adam(actor.parameters(), lr=3e-4)
    rb = ReplayBuffer(1_000_000, float32_space(env), env.action_space, "cpu", handle_timeout_termination=False)
    obs, _ = env.reset(seed=1)
    t_start = None
    for step in range(steps):
        if step == start:
            t_start = time.perf_counter()
        if step < start:
            action = env.action_space.sample()
        else:
            with torch.no_grad():
                a = torch.tanh(actor(torch.tensor(obs, dtype=torch.float32)[None]))
                a += torch.normal(0, 0.1, size=a.shape)
                action = a[0].clamp(-1, 1).numpy()
        next_obs, reward, term, trunc, _ = env.step(action)
        rb.add(obs, next_obs, action, reward, term, [{}])
        obs = next_obs if not (term or trunc) else env.reset()[0]
        if step >= start:
            data = rb.sample(256)
            with torch.no_grad():
                noise = (torch.randn_like(data.actions) * 0.2).clamp(-0.5, 0.5)
                na = (torch.tanh(actor_t(data.next_observations)) + noise).clamp(-1, 1)
                sa = torch.cat([data.next_observations, na], 1)
                y = data.rewards.flatten() + (1 - data.dones.flatten()) * 0.99 * torch.min(qf1_t(sa), qf2_t(sa)).view(-1)
            sa = torch.cat([data.observations, data.actions], 1)
            q_loss = F.mse_loss(qf1(sa).view(-1), y) + F.mse_loss(qf2(sa).view(-1), y)
            q_opt.zero_grad()
            q_loss.backward()
            q_opt.step()
            if step % 2 == 0:
                a_loss = -qf1(torch.cat([data.observations, torch.tanh(actor(data.observations))], 1)).mean()
                a_opt.zero_grad()
                a_loss.backward()
                a_opt.step()
                with torch.no_grad():
                    for net, tgt in ((actor, actor_t), (qf1, qf1_t), (qf2, qf2_t)):
                        for p, tp in zip(net.parameters(), tgt.parameters()):
                            tp.data.copy_(0.005 * p.data + 0.995 * tp.data)
    return (steps - start) / (time.perf_counter() - t_start)


def run_sac(env, steps, start):
    obs_dim, act_dim = env.observation_space.shape[0], env.action_space.shape[0]
    actor = mlp(obs_dim, 2 * act_dim)
    qf1, qf2, qf1_t, qf2_t = (mlp(obs_dim + act_dim, 1) for _ in range(4))
    qf1_t.load_state_dict(qf1.state_dict())
    qf2_t.load_state_dict(qf2.state_dict())
    q_opt = torch.optim.Adam(list(qf1.parameters()) + list(qf2.parameters()), lr=3e-4)
    a_opt = torch.optim.Adam(actor.parameters(), lr=3e-4)
    log_alpha = torch.zeros(1, requires_grad=True)
    alpha_opt = torch.optim.Adam([log_alpha], lr=3e-4)

    def sample(x):
        out = actor(x)
        mu, log_std = out[:, :act_dim], out[:, act_dim:].clamp(-20, 2)
        normal = torch.distributions.Normal(mu, log_std.exp())
        u = normal.rsample()
        a = torch.tanh(u)
        return a, (normal.log_prob(u) - torch.log(1 - a.pow(2) + 1e-6)).sum(1, keepdim=True)

    rb = ReplayBuffer(1_000_000, float32_space(env), env.action_space, "cpu", handle_timeout_termination=False)
    obs, _ = env.reset(seed=1)
    t_start = None
    for step in range(steps):
        if step == start:
            t_start = time.perf_counter()
        if step < start:
            action = env.action_space.sample()
        else:
            with torch.no_grad():
                action = sample(torch.tensor(obs, dtype=torch.float32)[None])[0][0].numpy()
        next_obs, reward, term, trunc, _ = env.step(action)
        rb.add(obs, next_obs, action, reward, term, [{}])
        obs = next_obs if not (term or trunc) else env.reset()[0]
        if step >= start:
            data = rb.sample(256)
            alpha = log_alpha.exp().item()
            with torch.no_grad():
                na, nlp = sample(data.next_observations)
                sa = torch.cat([data.next_observations, na], 1)
                y = data.rewards.flatten() + (1 - data.dones.flatten()) * 0.99 * (
                    torch.min(qf1_t(sa), qf2_t(sa)) - alpha * nlp).view(-1)
            sa = torch.cat([data.observations, data.actions], 1)
            q_loss = 0.5 * (F.mse_loss(qf1(sa).view(-1), y) + F.mse_loss(qf2(sa).view(-1), y))
            q_opt.zero_grad()
            q_loss.backward()
            q_opt.step()
            pi, lp = sample(data.observations)
            sa_pi = torch.cat([data.observations, pi], 1)
            a_loss = (alpha * lp - torch.min(qf1(sa_pi), qf2(sa_pi))).mean()
            a_opt.zero_grad()
            a_loss.backward()
            a_opt.step()
            alpha_loss = (-log_alpha.exp() * (lp.detach() - act_dim)).mean()
            alpha_opt.zero_grad()
            alpha_loss.backward()
            alpha_opt.step()
            with torch.no_grad():
                for net, tgt in ((qf1, qf1_t), (qf2, qf2_t)):
                    for p, tp in zip(net.parameters(), tgt.parameters()):
                        tp.data.copy_(0.005 * p.data + 0.995 * tp.data)
    return (steps - start) / (time.perf_counter() - t_start)


def run_ppo(env, steps, _start):
    env = gym.wrappers.ClipAction(env)
    env = gym.wrappers.NormalizeObservation(env)
    env = gym.wrappers.TransformObservation(env, lambda o: np.clip(o, -10, 10), env.observation_space)
    env = gym.wrappers.NormalizeReward(env, gamma=0.99)
    env = gym.wrappers.TransformReward(env, lambda r: float(np.clip(r, -10, 10)))
    obs_dim, act_dim = env.observation_space.shape[0], env.action_space.shape[0]

    def net(o, gain):
        layers = [nn.Linear(obs_dim, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, o)]
        for i, layer in enumerate(l for l in layers if isinstance(l, nn.Linear)):
            nn.init.orthogonal_(layer.weight, gain if i == 2 else np.sqrt(2))
            nn.init.zeros_(layer.bias)
        return nn.Sequential(*layers)

    actor, critic = net(act_dim, 0.01), net(1, 1.0)
    log_std = nn.Parameter(torch.zeros(1, act_dim))
    params = list(actor.parameters()) + list(critic.parameters()) + [log_std]
    opt = torch.optim.Adam(params, lr=3e-4, eps=1e-5)
    n = 2048
    obs_b, act_b, lp_b, rew_b, done_b, val_b = (torch.zeros(n, obs_dim), torch.zeros(n, act_dim), torch.zeros(n),
                                                torch.zeros(n), torch.zeros(n), torch.zeros(n))
    obs = torch.tensor(env.reset(seed=1)[0], dtype=torch.float32)
    done = 0.0
    t_start = time.perf_counter()
    for _ in range(steps // n):
        for t in range(n):
            obs_b[t], done_b[t] = obs, done
            with torch.no_grad():
                dist = torch.distributions.Normal(actor(obs[None]), log_std.exp())
                a = dist.sample()
                lp_b[t], val_b[t], act_b[t] = dist.log_prob(a).sum(), critic(obs[None]).item(), a[0]
            o, r, term, trunc, _ = env.step(a[0].numpy())
            rew_b[t], done = r, float(term or trunc)
            obs = torch.tensor(env.reset()[0] if done else o, dtype=torch.float32)
        with torch.no_grad():
            adv, last = torch.zeros(n), 0.0
            next_v = critic(obs[None]).item()
            for t in reversed(range(n)):
                nonterminal = 1.0 - (done if t == n - 1 else done_b[t + 1])
                nv = next_v if t == n - 1 else val_b[t + 1]
                delta = rew_b[t] + 0.99 * nv * nonterminal - val_b[t]
                adv[t] = last = delta + 0.99 * 0.95 * nonterminal * last
            ret = adv + val_b
        for _epoch in range(10):
            idx = torch.randperm(n)
            for s in range(0, n, 64):
                mb = idx[s:s + 64]
                dist = torch.distributions.Normal(actor(obs_b[mb]), log_std.exp())
                ratio = (dist.log_prob(act_b[mb]).sum(1) - lp_b[mb]).exp()
                a_ = (adv[mb] - adv[mb].mean()) / (adv[mb].std() + 1e-8)
                pg = torch.max(-a_ * ratio, -a_ * ratio.clamp(0.8, 1.2)).mean()
                v = critic(obs_b[mb]).view(-1)
                v_clip = val_b[mb] + (v - val_b[mb]).clamp(-0.2, 0.2)
                v_loss = 0.5 * torch.max((v - ret[mb]) ** 2, (v_clip - ret[mb]) ** 2).mean()
                loss = pg - 0.0 * dist.entropy().sum(1).mean() + 0.5 * v_loss
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(params, 0.5)
                opt.step()
    return (steps // n * n) / (time.perf_counter() - t_start)


if __name__ == "__main__":
    algo, steps, start, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    env = gym.make("Hopper-v5")
    env.action_space.seed(1)

    sps = {"td3": run_td3, "sac": run_sac, "ppo": run_ppo}[algo](env, steps, start)
    print(json.dumps({"framework": "cleanrl-style", "algo": algo, "threads": threads, "sps": sps}))
