#include "cli/commands.hpp"
#include "cli/run_one.hpp"
#include "sweep/check_runs.hpp"
#include "sweep/merge.hpp"
#include "sweep/report.hpp"
#include "sweep/run_pool.hpp"
#include "sweep/slurm_submit.hpp"

#include <evtwin/util/args.hpp>
#include <evtwin/util/progress.hpp>

#include <unistd.h>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <thread>

namespace evtwin::cli {

namespace {

constexpr const char* kSweepHelp =
    R"(usage: evtwin sweep <plan|run|merge|status|report|submit> ... (docs/sweeps.md)

  plan SWEEP.lua --out DIR [--data-dir D] [--no-check]
        expand the sweep file into a campaign in DIR: the run list with a stable index and key per
        run (campaign.db). Planning again into the same DIR keeps every index and adds new runs
        after them. Checks first that every scenario loads at every parameter point and every
        strategy accepts its options (--no-check: do not).
  run DIR [--index I | --indices A-B,C,...] [--jobs N] [--quiet]
        run the runs not done yet (default: all), each in its own process, N at a time (default:
        the number of cores; at most 1024, fewer while the system refuses more processes), each
        into DIR/runs/<index>.db, which appears only when the run is complete. A failed run
        leaves DIR/runs/<index>.failed (the error and the `evtwin run` line that reproduces it)
        and does not stop the others. Ctrl-C: running runs stop, their partial files are removed,
        every finished run stays.
  merge DIR --db FILE [--replace]
        every done run, in index order, into one results database: the same rows as the runs
        made one after another with `evtwin run` into one file
  status DIR [--list]
        runs done, failed (with the error), missing; --list: one line per run
  report DIR [--kpis K1,K2,...] [--csv FILE]
        per scenario, strategy and parameter point: each KPI's mean ± the half-width of its 95 %
        confidence interval over the seeds (Student's t), n; the CSV (default DIR/report.csv) has
        mean, sd and the interval for every KPI
  submit DIR [--partition P] [--max-parallel K] [--time T] [--runs-per-task N] [--db FILE]
        a Slurm job array over the runs not done (chunks of runs per task so the array fits the
        cluster's MaxArraySize; at most K tasks at once) and a merge job into FILE (default
        DIR/all.db) after it; prints the job ids. Scripts and task logs: DIR/slurm/<n>/.

exit codes: 0 ok, 1 failure (status: a run failed or is missing), 2 usage, 3 bad sweep file or
campaign, 130 interrupted
)";

const std::vector<std::string> kDefaultReportKpis = {"energy_cost", "cpo_profit", "energy_served",
                                                     "peak_import", "limit_violations"};

std::filesystem::path one_positional(const Args& args, const char* what) {
    if (args.positionals.size() != 1) throw UsageError(std::string("expects ") + what);
    return args.positionals[0];
}

template <class F>
auto or_bad_input(F&& f) {
    try {
        return f();
    } catch (const sweep::SweepError& e) {
        throw CommandFailure(kBadInput, std::string("evtwin sweep: ") + e.what());
    }
}

std::string duration_text(double seconds) {
    const long s = std::lround(seconds);
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

int plan(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{"--out", "--data-dir"}, {"--no-check"}, {}});
    const auto file = one_positional(args, "one sweep file");
    const auto out = args.value("--out");
    if (!out) throw UsageError("--out DIR is required");
    const std::filesystem::path data_dir = args.value("--data-dir").value_or("");
    return or_bad_input([&] {
        const sweep::SweepSpec spec = sweep::load_sweep_file(file);
        if (!args.flag("--no-check")) sweep::check_runs(spec, data_dir);
        sweep::PlanSummary summary;
        const auto campaign = sweep::Campaign::plan(*out, spec, data_dir, &summary);
        std::printf("sweep %s: %zu runs in %s (%zu new, %zu kept", spec.name.c_str(), spec.runs.size(),
                    campaign.dir().c_str(), summary.added, summary.kept);
        if (summary.retired > 0)
            std::printf(", %zu no longer in the sweep file: kept, not run or merged", summary.retired);
        std::printf(")\n");
        return kOk;
    });
}

int run(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{"--index", "--indices", "--jobs"}, {"--quiet"}, {}});
    const auto dir = one_positional(args, "one campaign directory");
    if (args.value("--index") && args.value("--indices"))
        throw UsageError("--index and --indices exclude each other");
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const auto jobs = static_cast<unsigned>(whole_number_option(args, "--jobs", cores, 1, 1024));
    const auto campaign = or_bad_input([&] { return sweep::Campaign::open(dir); });
    std::vector<std::size_t> indices;
    if (auto text = args.value("--index").has_value() ? args.value("--index") : args.value("--indices")) {
        indices = or_bad_input([&] { return sweep::parse_indices(*text); });
        for (auto i : indices) or_bad_input([&] { return campaign.run(i).index; });
    } else {
        for (const auto& r : campaign.runs())
            if (r.in_sweep) indices.push_back(r.index);
    }

    ProgressBar bar("evtwin sweep " + campaign.name());
    const auto started = std::chrono::steady_clock::now();
    sweep::PoolOptions options;
    options.jobs = jobs;
    options.progress = [&](const sweep::PoolProgress& p) {
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const double eta = p.finished > 0 ? elapsed / static_cast<double>(p.finished) *
                                                static_cast<double>(p.total - p.finished)
                                          : 0;
        bar.update(static_cast<double>(p.finished) / static_cast<double>(std::max<std::size_t>(1, p.total)),
                   std::to_string(p.finished) + "/" + std::to_string(p.total) + " runs, " +
                       std::to_string(p.failed) + " failed, ETA " + duration_text(eta));
    };
    options.interrupt = SigintScope::flag();
    sweep::PoolSummary summary;
    {
        SigintScope sigint;
        summary = or_bad_input([&] { return sweep::run_pool(campaign, indices, options); });
    }
    bar.finish();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!args.flag("--quiet") || summary.failed > 0 || summary.interrupted) {
        std::printf("sweep %s: %zu done, %zu failed, %zu done before", campaign.name().c_str(), summary.done,
                    summary.failed, summary.already_done);
        if (summary.interrupted) std::printf(", %zu not run (interrupted)", summary.not_started);
        std::printf(" (%.1f s, %u jobs)\n", wall, jobs);
        for (auto i : summary.failed_indices)
            std::printf("  run %zu failed: %s\n", i, campaign.status(i).reason.c_str());
    }
    return summary.interrupted ? kInterrupted : kOk;
}

int merge(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{"--db"}, {"--replace"}, {}});
    const auto dir = one_positional(args, "one campaign directory");
    const auto db = args.value("--db");
    if (!db) throw UsageError("--db FILE is required");
    return or_bad_input([&] {
        const auto campaign = sweep::Campaign::open(dir);
        ProgressBar bar("evtwin sweep merge " + campaign.name());
        const auto started = std::chrono::steady_clock::now();
        const auto summary = sweep::merge_campaign(
            campaign, *db, args.flag("--replace"), [&](std::size_t n, std::size_t total) {
                bar.update(static_cast<double>(n) / static_cast<double>(total),
                           std::to_string(n) + "/" + std::to_string(total));
            });
        bar.finish();
        std::printf("merged %zu runs of sweep %s into %s (%.2f s)", summary.merged, campaign.name().c_str(),
                    db->c_str(),
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (!summary.failed.empty() || !summary.missing.empty())
            std::printf("; left out: %zu failed (%s), %zu missing (%s): see evtwin sweep status",
                        summary.failed.size(), sweep::format_indices(summary.failed).c_str(),
                        summary.missing.size(), sweep::format_indices(summary.missing).c_str());
        std::printf("\n");
        return kOk;
    });
}

int status(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{}, {"--list"}, {}});
    const auto dir = one_positional(args, "one campaign directory");
    const auto campaign = or_bad_input([&] { return sweep::Campaign::open(dir); });
    std::vector<std::size_t> done, failed, missing, retired;
    for (const auto& r : campaign.runs()) {
        if (!r.in_sweep) {
            retired.push_back(r.index);
            continue;
        }
        const auto s = campaign.status(r.index);
        (s.state == sweep::RunState::done     ? done
         : s.state == sweep::RunState::failed ? failed
                                              : missing)
            .push_back(r.index);
        if (args.flag("--list"))
            std::printf("%6zu  %-7s  %s%s%s\n", r.index, sweep::run_state_name(s.state), r.key.c_str(),
                        s.state == sweep::RunState::failed ? "  " : "",
                        s.state == sweep::RunState::failed ? s.reason.c_str() : "");
    }
    std::printf("sweep %s (%s): %zu runs: %zu done, %zu failed, %zu missing", campaign.name().c_str(),
                campaign.sweep_file().c_str(), done.size() + failed.size() + missing.size(), done.size(),
                failed.size(), missing.size());
    if (!retired.empty()) std::printf(", and %zu no longer in the sweep file", retired.size());
    std::printf("\n");
    for (auto i : failed) std::printf("  failed %zu: %s\n", i, campaign.status(i).reason.c_str());
    if (!missing.empty()) std::printf("  missing: %s\n", sweep::format_indices(missing).c_str());
    return failed.empty() && missing.empty() ? kOk : kFailure;
}

std::string cell(const sweep::KpiStats& s) {
    char buf[64];
    if (s.n == 0) return "-";
    if (std::isnan(s.ci95))
        std::snprintf(buf, sizeof buf, "%.4g", s.mean);
    else if (s.ci95 <= 1e-9 * std::max(1.0, std::fabs(s.mean)))
        std::snprintf(buf, sizeof buf, "%.4g ± 0", s.mean);  // rounding noise
    else
        std::snprintf(buf, sizeof buf, "%.4g ± %.2g", s.mean, s.ci95);
    return buf;
}

// Display width of UTF-8 text (the ± takes two bytes, one column).
std::size_t width(const std::string& s) {
    std::size_t w = 0;
    for (unsigned char c : s) w += (c & 0xC0) != 0x80;
    return w;
}

int report(const std::vector<std::string>& argv) {
    const Args args = parse_args(argv, ArgSpec{{"--kpis", "--csv"}, {}, {}});
    const auto dir = one_positional(args, "one campaign directory");
    const auto campaign = or_bad_input([&] { return sweep::Campaign::open(dir); });
    const sweep::SweepReport report = sweep::build_report(campaign);
    std::vector<std::string> kpis =
        args.value("--kpis") ? comma_list(*args.value("--kpis"), "--kpis") : kDefaultReportKpis;
    for (const auto& k : kpis)
        if (!report.units.count(k) && args.value("--kpis"))
            throw UsageError("--kpis: the runs have no KPI '" + k + "'");
    kpis.erase(
        std::remove_if(kpis.begin(), kpis.end(), [&](const auto& k) { return !report.units.count(k); }),
        kpis.end());

    std::vector<std::vector<std::string>> table;
    std::vector<std::string> head = {"scenario", "strategy", "parameters", "n"};
    for (const auto& k : kpis) head.push_back(k + " [" + report.units.at(k) + "]");
    table.push_back(head);
    for (const auto& row : report.rows) {
        std::string params;
        for (const auto& [k, v] : row.params) params += (params.empty() ? "" : " ") + k + "=" + v;
        std::vector<std::string> line = {row.scenario.stem().string(), row.strategy,
                                         params.empty() ? "-" : params, std::to_string(row.runs)};
        for (const auto& k : kpis) line.push_back(row.kpis.count(k) ? cell(row.kpis.at(k)) : "-");
        table.push_back(line);
    }
    std::vector<std::size_t> widths(head.size(), 0);
    for (const auto& line : table)
        for (std::size_t c = 0; c < line.size(); ++c) widths[c] = std::max(widths[c], width(line[c]));
    for (const auto& line : table) {
        std::string text;
        for (std::size_t c = 0; c < line.size(); ++c) {
            const std::string pad(widths[c] - width(line[c]), ' ');
            text += c < 3 ? line[c] + pad : pad + line[c];
            if (c + 1 < line.size()) text += "  ";
        }
        std::printf("%s\n", text.c_str());
    }
    std::printf("mean ± half-width of the 95 %% confidence interval over seeds (n runs)");
    if (report.runs_left_out > 0) std::printf("; %zu runs not done are left out", report.runs_left_out);
    const std::filesystem::path csv = args.value("--csv").value_or((campaign.dir() / "report.csv").string());
    std::ofstream(csv) << sweep::report_csv(report);
    std::printf("\nwritten: %s\n", csv.c_str());
    return kOk;
}

int submit(const std::vector<std::string>& argv) {
    const Args args = parse_args(
        argv, ArgSpec{{"--partition", "--max-parallel", "--time", "--runs-per-task", "--db"}, {}, {}});
    const auto dir = one_positional(args, "one campaign directory");
    sweep::SubmitOptions options;
    options.evtwin = std::filesystem::read_symlink("/proc/self/exe");
    options.partition = args.value("--partition").value_or("");
    options.max_parallel = whole_number_option(args, "--max-parallel", 0, 1, 999'999);
    options.time_limit = args.value("--time").value_or("");
    options.runs_per_task = whole_number_option(args, "--runs-per-task", 0, 1, 999'999);
    options.merge_db = args.value("--db").value_or("");
    return or_bad_input([&] {
        const auto campaign = sweep::Campaign::open(dir);
        const auto s = sweep::submit_to_slurm(campaign, options);
        if (s.runs == 0) {
            std::printf("sweep %s: every run is done; nothing submitted\n", campaign.name().c_str());
            return kOk;
        }
        std::printf(
            "sweep %s: %zu runs in %zu array tasks: array job %s, merge job %s (scripts and logs: %s)\n",
            campaign.name().c_str(), s.runs, s.tasks, s.array_job.c_str(), s.merge_job.c_str(),
            s.folder.c_str());
        return kOk;
    });
}

}  // namespace

int sweep_command(const std::vector<std::string>& argv) {
    if (argv.empty() || argv[0] == "--help" || argv[0] == "-h") {
        std::fputs(kSweepHelp, argv.empty() ? stderr : stdout);
        return argv.empty() ? kUsage : kOk;
    }
    const std::vector<std::string> rest(argv.begin() + 1, argv.end());
    for (const auto& a : rest)
        if (a == "--help" || a == "-h") {
            std::fputs(kSweepHelp, stdout);
            return kOk;
        }
    const std::string& verb = argv[0];
    if (verb == "plan") return plan(rest);
    if (verb == "run") return run(rest);
    if (verb == "merge") return merge(rest);
    if (verb == "status") return status(rest);
    if (verb == "report") return report(rest);
    if (verb == "submit") return submit(rest);
    throw UsageError("unknown sweep verb '" + verb + "' (plan, run, merge, status, report, submit)");
}

}  // namespace evtwin::cli
