// evtwin-train: the trainer `evtwin train` execs (it links LibTorch; evtwin does not).
#include "plugins/rl/policy_file.hpp"
#include "plugins/rl/trainer.hpp"

#include <evtwin/scenario.hpp>
#include <evtwin/util/args.hpp>

#include <unistd.h>
#include <atomic>
#include <csignal>
#include <cstdio>

namespace {

constexpr const char* kHelp =
    R"(usage: evtwin train SCENARIO.lua --algo ppo|dqn --steps N --out model.pt [options]

Trains a policy on the scenario (one episode per seed: its arrivals are drawn from the seed) and
writes it to --out; run it with `evtwin run SCENARIO --strategy ppo --opt model=model.pt`.

options:
  --seed S                  fixes everything (networks, sampling, training episodes); default 1
  --envs N                  environments stepped together; default 4
  --eval-every N            evaluate every N environment steps; default steps/10
  --eval-seeds a,b,c        held-out seeds of the evaluation; default 1,2,3 (training episodes
                            use seeds from 1000000 x (S+1) on)
  --checkpoint-every N      write the checkpoint every N steps; default as --eval-every
  --checkpoint FILE         default OUT.ckpt
  --resume CKPT             continue a run exactly where its checkpoint stopped
  --init MODEL              start from a trained policy (fine-tuning; its layout must fit)
  --db FILE                 learning curve into table training_curve (SQLite)
  --opt KEY=VALUE           reward, safety (laxity|none), window, satisfaction_bonus, ... and the
                            algorithm's options (docs/rl.md), repeatable
  -D KEY=VALUE              scenario parameter read by param()
  --data-dir DIR            root of data() paths
  --quiet                   no evaluation lines
Ctrl-C writes the checkpoint and keeps the curve (exit 130); resume with --resume.
exit codes: 0 ok, 1 failure, 2 usage, 3 bad scenario, data or policy file, 130 interrupted
)";

std::atomic<bool> g_stop{false};
extern "C" void on_sigint(int) {
    if (g_stop.exchange(true)) std::_Exit(130);
}

std::vector<std::uint64_t> parse_seeds(const std::string& text) {
    std::vector<std::uint64_t> seeds;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const std::size_t comma = std::min(text.find(',', begin), text.size());
        const std::string item = text.substr(begin, comma - begin);
        std::size_t used = 0;
        try {
            seeds.push_back(std::stoull(item, &used));
        } catch (const std::exception&) {
            used = 0;
        }
        if (item.empty() || used != item.size() || item[0] == '-')
            throw evtwin::cli::UsageError(
                "--eval-seeds expects comma-separated non-negative integers, got '" + text + "'");
        begin = comma + 1;
    }
    return seeds;
}

std::uint64_t parse_count(const std::optional<std::string>& v, const std::string& name,
                          std::uint64_t fallback) {
    if (!v) return fallback;
    std::size_t used = 0;
    try {
        const auto n = std::stoull(*v, &used);
        if (used == v->size() && (*v)[0] != '-') return n;
    } catch (const std::exception&) {
    }
    throw evtwin::cli::UsageError(name + " expects a non-negative integer, got '" + *v + "'");
}

}  // namespace

int main(int argc, char** argv) {
    using namespace evtwin;
    std::vector<std::string> argv_list(argv + 1, argv + argc);
    if (!argv_list.empty() && (argv_list[0] == "--help" || argv_list[0] == "-h")) {
        std::fputs(kHelp, stdout);
        return 0;
    }
    try {
        cli::ArgSpec spec;
        spec.values = {"--algo",       "--steps",      "--out",        "--seed",
                       "--envs",       "--eval-every", "--eval-seeds", "--checkpoint-every",
                       "--checkpoint", "--resume",     "--init",       "--db",
                       "--data-dir"};
        spec.flags = {"--quiet", "--help"};
        spec.key_values = {"--opt", "-D"};
        const cli::Args args = cli::parse_args(argv_list, spec);
        if (args.flag("--help")) {
            std::fputs(kHelp, stdout);
            return 0;
        }
        if (args.positionals.size() != 1) throw cli::UsageError("expected one SCENARIO.lua");
        rl::TrainRequest rq;
        rq.algo = args.value("--algo").value_or("");
        if (rq.algo != "ppo" && rq.algo != "dqn")
            throw cli::UsageError("--algo ppo or --algo dqn is required");
        rq.steps = parse_count(args.value("--steps"), "--steps", 0);
        if (rq.steps == 0) throw cli::UsageError("--steps N (N > 0) is required");
        if (!args.value("--out")) throw cli::UsageError("--out FILE is required");
        rq.out = *args.value("--out");
        rq.seed = parse_count(args.value("--seed"), "--seed", 1);
        rq.envs = parse_count(args.value("--envs"), "--envs", 4);
        if (rq.envs == 0 || rq.envs > 256) throw cli::UsageError("--envs expects 1..256");
        rq.eval_every = parse_count(args.value("--eval-every"), "--eval-every", 0);
        rq.checkpoint_every = parse_count(args.value("--checkpoint-every"), "--checkpoint-every", 0);
        if (auto s = args.value("--eval-seeds")) rq.eval_seeds = parse_seeds(*s);
        if (auto c = args.value("--checkpoint")) rq.checkpoint = *c;
        if (auto r = args.value("--resume")) rq.resume = *r;
        if (auto i = args.value("--init")) rq.init = *i;
        if (rq.resume && rq.init) throw cli::UsageError("--resume and --init exclude each other");
        if (auto d = args.value("--db")) rq.db = *d;
        rq.options = args.pairs("--opt");
        rq.quiet = args.flag("--quiet");

        ScenarioOptions load;
        load.params = args.pairs("-D");
        if (auto d = args.value("--data-dir")) load.data_dir = *d;
        const std::filesystem::path file = args.positionals[0];
        const Scenario scenario = Scenario::load(file, load);
        rq.scenario_name = scenario.name().empty() ? file.stem().string() : scenario.name();

        std::signal(SIGINT, on_sigint);
        const rl::TrainResult r = rl::train(scenario, rq, g_stop);
        std::printf("trained %s: %llu steps in %.1f s%s -> %s\n", rq.algo.c_str(),
                    static_cast<unsigned long long>(r.steps), r.wall_s,
                    r.interrupted ? " (interrupted; checkpoint kept)" : "",
                    r.interrupted ? "checkpoint" : rq.out.c_str());
        return r.interrupted ? 130 : 0;
    } catch (const cli::UsageError& e) {
        std::fprintf(stderr, "evtwin train: %s (see evtwin train --help)\n", e.what());
        return 2;
    } catch (const rl::PolicyFileError& e) {
        std::fprintf(stderr, "evtwin train: %s\n", e.what());
        return 3;
    } catch (const ScenarioError& e) {
        std::fprintf(stderr, "evtwin train: %s\n", e.what());
        return 3;
    } catch (const DataError& e) {
        std::fprintf(stderr, "evtwin train: %s\n", e.what());
        return 3;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "evtwin train: %s\n", e.what());
        return 1;
    }
}
