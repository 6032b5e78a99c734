#include "sweep/slurm_submit.hpp"

#include <sys/wait.h>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace evtwin::sweep {

namespace {

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

struct Output {
    int exit_code = -1;
    std::string text;  // stdout and stderr
};

Output run_tool(const std::string& command_line) {
    Output out;
    FILE* pipe = ::popen((command_line + " 2>&1").c_str(), "r");
    if (!pipe) throw SweepError("cannot run: " + command_line);
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) out.text.append(buf.data(), n);
    const int status = ::pclose(pipe);
    out.exit_code =
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return out;
}

// sbatch --parsable prints "<job id>" or "<job id>;<cluster>".
std::string submit(const std::vector<std::string>& arguments) {
    std::string line = "sbatch --parsable";
    for (const auto& a : arguments) line.append(" ").append(quoted(a));
    const Output out = run_tool(line);
    std::string id = out.text.substr(0, out.text.find_first_of(";\n"));
    if (out.exit_code != 0 || id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
        throw SweepError("sbatch failed (exit " + std::to_string(out.exit_code) + "): " + out.text);
    return id;
}

std::filesystem::path next_submission_folder(const std::filesystem::path& campaign_dir) {
    const auto root = campaign_dir / "slurm";
    std::filesystem::create_directories(root);
    for (int n = 1;; ++n) {
        char name[16];
        std::snprintf(name, sizeof name, "%04d", n);
        if (std::filesystem::create_directory(root / name)) return root / name;
    }
}

void write_script(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file) << text;
    std::filesystem::permissions(file, std::filesystem::perms::owner_exec,
                                 std::filesystem::perm_options::add);
}

}  // namespace

std::vector<std::string> chunk_indices(const std::vector<std::size_t>& pending, std::size_t max_tasks,
                                       std::size_t runs_per_task) {
    if (pending.empty()) return {};
    const std::size_t fewest = (pending.size() + max_tasks - 1) / std::max<std::size_t>(1, max_tasks);
    const std::size_t per = std::max(runs_per_task, std::max<std::size_t>(1, fewest));
    std::vector<std::string> chunks;
    for (std::size_t at = 0; at < pending.size(); at += per) {
        const auto end = pending.begin() + static_cast<std::ptrdiff_t>(std::min(pending.size(), at + per));
        chunks.push_back(format_indices({pending.begin() + static_cast<std::ptrdiff_t>(at), end}));
    }
    return chunks;
}

std::string array_script(const Campaign& campaign, const SubmitOptions& options,
                         const std::vector<std::string>& chunks, const std::filesystem::path& folder) {
    std::ostringstream s;
    s << "#!/bin/bash\n";
    s << "#SBATCH --job-name=evtwin-" << campaign.name() << "\n";
    s << "#SBATCH --array=0-" << chunks.size() - 1;
    if (options.max_parallel > 0) s << "%" << options.max_parallel;
    s << "\n#SBATCH --output=" << (folder / "task-%a.out").string() << "\n";
    s << "#SBATCH --cpus-per-task=1\n";
    if (!options.partition.empty()) s << "#SBATCH --partition=" << options.partition << "\n";
    if (!options.time_limit.empty()) s << "#SBATCH --time=" << options.time_limit << "\n";
    s << "# Written by `evtwin sweep submit`: array task i runs the campaign's runs chunks[i]. A failed run\n"
         "# is recorded in the campaign and does not fail the task; `evtwin sweep status` lists it.\n";
    s << "set -euo pipefail\nchunks=(\n";
    for (const auto& c : chunks) s << "  " << c << "\n";
    s << ")\n";
    s << "exec " << quoted(options.evtwin.string()) << " sweep run " << quoted(campaign.dir().string())
      << " --indices \"${chunks[$SLURM_ARRAY_TASK_ID]}\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\"\n";
    return s.str();
}

std::size_t slurm_max_array_size() {
    const Output out = run_tool("scontrol show config");
    if (out.exit_code != 0)
        throw SweepError("scontrol show config failed (exit " + std::to_string(out.exit_code) +
                         "): " + out.text);
    std::istringstream in(out.text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("MaxArraySize", 0) != 0) continue;
        const auto eq = line.find('=');
        if (eq != std::string::npos) return std::stoul(line.substr(eq + 1));
    }
    return 1001;  // Slurm's default when the configuration does not say
}

Submission submit_to_slurm(const Campaign& campaign, const SubmitOptions& options) {
    Submission submission;
    std::vector<std::size_t> pending;
    for (const auto& run : campaign.runs())
        if (run.in_sweep && campaign.status(run.index).state != RunState::done) pending.push_back(run.index);
    submission.runs = pending.size();
    if (pending.empty()) return submission;

    const auto chunks = chunk_indices(pending, slurm_max_array_size(), options.runs_per_task);
    submission.tasks = chunks.size();
    submission.folder = next_submission_folder(campaign.dir());
    const auto array_file = submission.folder / "array.sh";
    write_script(array_file, array_script(campaign, options, chunks, submission.folder));

    const auto merge_db =
        options.merge_db.empty() ? campaign.dir() / "all.db" : std::filesystem::absolute(options.merge_db);
    std::ostringstream merge;
    merge << "#!/bin/bash\n#SBATCH --job-name=evtwin-" << campaign.name()
          << "-merge\n#SBATCH --output=" << (submission.folder / "merge.out").string() << "\n";
    if (!options.partition.empty()) merge << "#SBATCH --partition=" << options.partition << "\n";
    merge << "exec " << quoted(options.evtwin.string()) << " sweep merge " << quoted(campaign.dir().string())
          << " --db " << quoted(merge_db.string()) << " --replace\n";
    const auto merge_file = submission.folder / "merge.sh";
    write_script(merge_file, merge.str());

    submission.array_job = submit({array_file.string()});
    submission.merge_job = submit({"--dependency=afterany:" + submission.array_job, merge_file.string()});
    std::ofstream(submission.folder / "jobs")
        << "array " << submission.array_job << "\nmerge " << submission.merge_job << "\n";
    return submission;
}

}  // namespace evtwin::sweep
