"""A minimal PPO in PyTorch on evtwin.VecEnv: trains a Gaussian policy on a scenario's weeks, then
evaluates it on held-out seeds against the C++ `edf` plugin.

    PYTHONPATH=build/python python3 examples/python/ppo_train.py scenarios/quickstart.lua \
        --steps 1000000 --curve curve.csv

The environment is evtwin's (docs/rl.md): one action per connector, one for the ESS and one for the
site import cap, mapped onto setpoints by the safety layer. Its options default to those of the
documented `evtwin train` run (docs/rl.md): the `peak` reward (the energy bill with the demand charge
as it accrues, a bonus per departing EV times its satisfaction), a 45-minute safety margin and the
ESS value shaping; `--opt key=value` changes one. An episode is one run of the scenario; environment
i's episodes run seeds 100 + i, 100 + i + N, ...; the evaluation seeds are others.
"""
import argparse
import csv
import time

import numpy as np
import torch
from torch import nn

import evtwin


class RunningNorm:
    """Observation normaliser: running mean and variance over everything seen."""

    def __init__(self, size):
        self.mean = np.zeros(size)
        self.var = np.ones(size)
        self.count = 1e-4

    def update(self, batch):
        b_mean, b_var, n = batch.mean(0), batch.var(0), batch.shape[0]
        delta, total = b_mean - self.mean, self.count + n
        self.mean = self.mean + delta * n / total
        self.var = (self.var * self.count + b_var * n + delta**2 * self.count * n / total) / total
        self.count = total

    def __call__(self, obs):
        return torch.as_tensor(np.clip((obs - self.mean) / np.sqrt(self.var + 1e-8), -10, 10), dtype=torch.float32)


class ActorCritic(nn.Module):
    def __init__(self, obs_size, action_size, hidden=64, log_std=-1.5):
        super().__init__()

        def mlp(out):
            return nn.Sequential(nn.Linear(obs_size, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(),
                                 nn.Linear(hidden, out))

        self.actor, self.critic = mlp(action_size), mlp(1)
        with torch.no_grad():  # start near the middle of every action's range
            self.actor[-1].weight.mul_(0.01)
            self.actor[-1].bias.zero_()
        self.log_std = nn.Parameter(torch.full((action_size,), log_std))

    def dist(self, obs):
        return torch.distributions.Normal(self.actor(obs), self.log_std.exp())

    def value(self, obs):
        return self.critic(obs).squeeze(-1)


def to_env(sample, low):
    """A policy sample, clipped to [-1, 1], mapped onto each action entry's range [low, 1]."""
    return low + (np.clip(sample, -1.0, 1.0) + 1.0) * 0.5 * (1.0 - low)


def evaluate(model, norm, scenario, seeds, env_options):
    """Cost (energy + demand charge) and share of the requested energy served, per seed, with the
    policy's mean action."""
    env = evtwin.Env(scenario, **env_options)
    low = env.action_space.low
    out = []
    for seed in seeds:
        obs, _ = env.reset(seed=seed)
        cost = requested = served = 0.0
        done = False
        while not done:
            with torch.no_grad():
                action = model.actor(norm(obs[None]))[0].numpy()
            obs, _, done, _, info = env.step(to_env(action, low))
            cost += info["energy_cost"] + info["demand_charge"]
            requested += info["ended_requested_kwh"]
            served += info["ended_served_kwh"]
        out.append((cost, served / requested if requested else 1.0))
    return out


def edf_baseline(scenario, seeds):
    out = []
    for seed in seeds:
        k = evtwin.run(scenario, strategy="edf", seed=seed).kpis
        out.append((k["energy_cost"] - k["export_revenue"] + k["demand_charge"], k["energy_served"] / 100.0))
    return out


ENV_OPTIONS = {"reward": "peak", "site_cap": True, "safety_margin_h": 0.75, "ess_value_weight": 1,
               "satisfaction_bonus": 5000}


def train(args):
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)
    env_options = {**ENV_OPTIONS, **dict(o.split("=", 1) for o in args.opt)}
    scenario = evtwin.load(args.scenario)
    vec = evtwin.VecEnv(scenario, args.envs, seed=100, **env_options)
    n, obs_size = vec.num_envs, vec.single_observation_space.shape[0]
    action_size = vec.single_action_space.shape[0]
    low = vec.single_action_space.low
    model = ActorCritic(obs_size, action_size, log_std=args.log_std_init)
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    norm = RunningNorm(obs_size)

    T = args.n_steps
    obs_buf = np.zeros((T, n, obs_size), np.float32)
    act_buf = np.zeros((T, n, action_size), np.float32)
    rew_buf = np.zeros((T, n), np.float32)
    done_buf = np.zeros((T, n), np.float32)
    # 0 where the row holds an ended episode's final observation: the next step resets it instead.
    valid_buf = np.zeros((T, n), np.float32)
    obs, _ = vec.reset()
    valid = np.ones(n, np.float32)
    curve, steps, started, reward_scale = [], 0, time.monotonic(), None
    eval_seeds = [int(s) for s in args.eval_seeds.split(",")]
    next_eval = 0

    while True:
        if steps >= next_eval:
            result = evaluate(model, norm, scenario, eval_seeds, env_options)
            cost = float(np.mean([c for c, _ in result]))
            curve.append((steps, cost, float(np.mean([s for _, s in result]))))
            print(f"{steps:>9} steps  {time.monotonic() - started:7.1f} s  evaluation cost {cost:12,.0f}  "
                  f"served {100 * curve[-1][2]:5.1f} %", flush=True)
            next_eval += args.eval_every
        if steps >= args.steps:
            break
        for t in range(T):
            norm.update(obs[valid > 0])
            obs_buf[t] = obs
            valid_buf[t] = valid
            with torch.no_grad():
                action = model.dist(norm(obs)).sample().numpy()
            act_buf[t] = action
            obs, reward, terminated, _, _ = vec.step(to_env(action, low))
            rew_buf[t], done_buf[t] = reward, terminated
            valid = 1.0 - terminated.astype(np.float32)
        steps += T * n
        if reward_scale is None:  # money in the tariff's currency: scaled by the first rollout's spread
            reward_scale = 1.0 / max(float(rew_buf[valid_buf > 0].std()), 1e-12)
        rew_buf *= reward_scale

        with torch.no_grad():
            values = model.value(norm(obs_buf.reshape(-1, obs_size))).reshape(T, n).numpy()
            next_value = model.value(norm(obs)).numpy()
        advantages = np.zeros((T, n), np.float32)
        last = np.zeros(n, np.float32)
        for t in reversed(range(T)):
            following = next_value if t == T - 1 else values[t + 1]
            delta = rew_buf[t] + args.gamma * following * (1 - done_buf[t]) - values[t]
            last = delta + args.gamma * args.gae_lambda * (1 - done_buf[t]) * last
            advantages[t] = last
        returns = advantages + values

        flat = lambda a: torch.as_tensor(a.reshape(T * n, *a.shape[2:]))
        b_obs, b_act = norm(obs_buf.reshape(-1, obs_size)), flat(act_buf)
        b_adv, b_ret, b_valid = flat(advantages), flat(returns), flat(valid_buf)
        with torch.no_grad():
            b_logp = model.dist(b_obs).log_prob(b_act).sum(-1)
        rows = np.flatnonzero(b_valid.numpy() > 0)
        for _ in range(args.epochs):
            np.random.shuffle(rows)
            for start in range(0, len(rows), args.minibatch):
                i = torch.as_tensor(rows[start:start + args.minibatch])
                adv = (b_adv[i] - b_adv[i].mean()) / (b_adv[i].std() + 1e-8)
                ratio = (model.dist(b_obs[i]).log_prob(b_act[i]).sum(-1) - b_logp[i]).exp()
                policy_loss = -torch.min(ratio * adv, ratio.clamp(1 - args.clip, 1 + args.clip) * adv).mean()
                value_loss = ((model.value(b_obs[i]) - b_ret[i]) ** 2).mean()
                optimiser.zero_grad()
                (policy_loss + 0.5 * value_loss).backward()
                nn.utils.clip_grad_norm_(model.parameters(), 0.5)
                optimiser.step()

    if args.curve:
        with open(args.curve, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["steps", "evaluation_cost", "served"])
            w.writerows(curve)
    return model, norm, scenario, env_options


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario")
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--envs", type=int, default=16)
    parser.add_argument("--n-steps", type=int, default=512, help="rollout length per environment")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--minibatch", type=int, default=512)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--gamma", type=float, default=0.998)
    parser.add_argument("--gae-lambda", type=float, default=0.95)
    parser.add_argument("--clip", type=float, default=0.2)
    parser.add_argument("--log-std-init", type=float, default=-1.5, help="the policy's initial log sigma")
    parser.add_argument("--opt", action="append", default=[], metavar="KEY=VALUE",
                        help="an environment option (docs/rl.md), over the defaults above")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--eval-seeds", default="1,2,3")
    parser.add_argument("--eval-every", type=int, default=100_000)
    parser.add_argument("--test-seeds", default="4,5,6,7,8", help="held-out seeds of the final table")
    parser.add_argument("--curve", default=None, help="write the learning curve to this CSV file")
    args = parser.parse_args()

    model, norm, scenario, env_options = train(args)
    seeds = [int(s) for s in args.test_seeds.split(",")]
    ppo, edf = evaluate(model, norm, scenario, seeds, env_options), edf_baseline(scenario, seeds)
    print(f"\n{'seed':>6}{'PPO cost':>14}{'served':>9}{'EDF cost':>14}{'served':>9}")
    for seed, (pc, ps), (ec, es) in zip(seeds, ppo, edf):
        print(f"{seed:>6}{pc:>14,.0f}{100 * ps:>8.1f}%{ec:>14,.0f}{100 * es:>8.1f}%")
    pc, ps = np.mean(ppo, axis=0)
    ec, es = np.mean(edf, axis=0)
    print(f"{'mean':>6}{pc:>14,.0f}{100 * ps:>8.1f}%{ec:>14,.0f}{100 * es:>8.1f}%  (PPO {100 * (pc / ec - 1):+.1f} % cost)")


if __name__ == "__main__":
    main()
