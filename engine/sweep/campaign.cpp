#include "sweep/campaign.hpp"

#include "record/schema/sqlite_db.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

namespace evtwin::sweep {

namespace {

constexpr const char* kCampaignFile = "campaign.db";
constexpr const char* kFormat = "evtwin-campaign";
constexpr std::int64_t kVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE runs (
  idx INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  scenario TEXT NOT NULL,
  strategy TEXT NOT NULL,
  options TEXT NOT NULL,
  seed INTEGER NOT NULL,
  params TEXT NOT NULL,
  in_sweep INTEGER NOT NULL
);
)sql";

std::string json_of(const std::map<std::string, std::string>& m) {
    return nlohmann::json(m).dump();
}
std::map<std::string, std::string> map_of(const std::string& text) {
    return nlohmann::json::parse(text).get<std::map<std::string, std::string>>();
}

std::string padded(std::size_t index) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%06zu", index);
    return buf;
}

void write_campaign(const std::filesystem::path& file, const std::string& name,
                    const std::filesystem::path& sweep_file, const std::filesystem::path& data_dir,
                    const std::vector<CampaignRun>& runs) {
    const auto part = file.string() + ".part";
    std::filesystem::remove(part);
    {
        sqlite::Db db(part, sqlite::Db::Mode::read_write_create);
        db.exec(kSchema);
        db.exec("BEGIN");
        sqlite::Stmt meta(db, "INSERT INTO meta (key, value) VALUES (?, ?)");
        for (const auto& [k, v] : std::map<std::string, std::string>{{"format", kFormat},
                                                                     {"version", std::to_string(kVersion)},
                                                                     {"name", name},
                                                                     {"sweep_file", sweep_file.string()},
                                                                     {"data_dir", data_dir.string()}})
            meta.bind(1, k).bind(2, v).run();
        sqlite::Stmt insert(db, "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        for (const auto& r : runs)
            insert.bind(1, static_cast<std::int64_t>(r.index))
                .bind(2, r.key)
                .bind(3, r.scenario.string())
                .bind(4, r.strategy)
                .bind(5, json_of(r.options))
                .bind(6, static_cast<std::int64_t>(r.seed))
                .bind(7, json_of(r.params))
                .bind(8, std::int64_t{r.in_sweep ? 1 : 0})
                .run();
        db.exec("COMMIT");
    }
    std::filesystem::rename(part, file);
}

// The first line of a file ("" when unreadable).
std::string first_line(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

std::string shell_quoted(const std::string& s) {
    if (!s.empty() &&
        s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+-@") ==
            std::string::npos)
        return s;
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

}  // namespace

const char* run_state_name(RunState state) {
    switch (state) {
        case RunState::done:
            return "done";
        case RunState::failed:
            return "failed";
        case RunState::missing:
            return "missing";
    }
    return "?";
}

Campaign Campaign::plan(const std::filesystem::path& dir, const SweepSpec& spec,
                        const std::filesystem::path& data_dir, PlanSummary* summary) {
    PlanSummary counts;
    std::vector<CampaignRun> runs;
    const auto file = dir / kCampaignFile;
    if (std::filesystem::exists(file)) {
        const Campaign existing = open(dir);
        if (existing.name() != spec.name)
            throw SweepError(dir.string() + ": holds the campaign of sweep '" + existing.name() +
                             "' (planned from " + existing.sweep_file().string() + "), not of '" + spec.name +
                             "' (" + spec.file.string() + "); plan into another directory");
        runs = existing.runs();
    } else if (std::filesystem::exists(dir) && !std::filesystem::is_empty(dir)) {
        throw SweepError(dir.string() +
                         ": is not empty and holds no campaign; plan into a new or empty directory");
    }
    std::map<std::string, std::size_t> by_key;
    for (auto& r : runs) {
        by_key[r.key] = r.index;
        r.in_sweep = false;
    }
    for (const auto& r : spec.runs) {
        if (auto it = by_key.find(r.key); it != by_key.end()) {
            CampaignRun& kept = runs[it->second];
            static_cast<SweepRun&>(kept) = r;  // the scenario's path may have moved with the sweep file
            kept.in_sweep = true;
            ++counts.kept;
            continue;
        }
        CampaignRun added;
        static_cast<SweepRun&>(added) = r;
        added.index = runs.size();
        runs.push_back(std::move(added));
        ++counts.added;
    }
    counts.retired = static_cast<std::size_t>(
        std::count_if(runs.begin(), runs.end(), [](const auto& r) { return !r.in_sweep; }));
    std::filesystem::create_directories(dir / "runs");
    write_campaign(file, spec.name, spec.file,
                   data_dir.empty() ? data_dir : std::filesystem::absolute(data_dir), runs);
    if (summary) *summary = counts;
    return open(dir);
}

Campaign Campaign::open(const std::filesystem::path& dir) {
    const auto file = dir / kCampaignFile;
    if (!std::filesystem::is_regular_file(file))
        throw SweepError(dir.string() + ": no campaign here (no " + kCampaignFile +
                         "; `evtwin sweep plan SWEEP.lua --out " + dir.string() + "` makes one)");
    Campaign c;
    c.dir_ = std::filesystem::absolute(dir).lexically_normal();
    try {
        sqlite::Db db(file, sqlite::Db::Mode::read_only);
        std::map<std::string, std::string> meta;
        if (db.table_exists("meta")) {
            sqlite::Stmt q(db, "SELECT key, value FROM meta");
            while (q.step()) meta[q.text(0)] = q.text(1);
        }
        if (meta["format"] != kFormat) throw SweepError(file.string() + ": not an evtwin campaign database");
        if (meta["version"] != std::to_string(kVersion))
            throw SweepError(file.string() + ": campaign format version " + meta["version"] +
                             ", this evtwin reads version " + std::to_string(kVersion) +
                             "; plan the sweep again into a new directory");
        c.name_ = meta["name"];
        c.sweep_file_ = meta["sweep_file"];
        c.data_dir_ = meta["data_dir"];
        sqlite::Stmt q(
            db,
            "SELECT idx, key, scenario, strategy, options, seed, params, in_sweep FROM runs ORDER BY idx");
        while (q.step()) {
            CampaignRun r;
            r.index = static_cast<std::size_t>(q.int64(0));
            r.key = q.text(1);
            r.scenario = q.text(2);
            r.strategy = q.text(3);
            r.options = map_of(q.text(4));
            r.seed = static_cast<std::uint64_t>(q.int64(5));
            r.params = map_of(q.text(6));
            r.in_sweep = q.int64(7) != 0;
            if (r.index != c.runs_.size())
                throw SweepError(file.string() + ": run indices are not 0, 1, 2, ...");
            c.runs_.push_back(std::move(r));
        }
    } catch (const ResultsError& e) {
        throw SweepError(e.what());
    } catch (const nlohmann::json::exception& e) {
        throw SweepError(file.string() + ": " + e.what());
    }
    return c;
}

const CampaignRun& Campaign::run(std::size_t index) const {
    if (index >= runs_.size())
        throw SweepError("run " + std::to_string(index) + ": the campaign " + name_ + " has runs 0-" +
                         std::to_string(runs_.size() - 1));
    return runs_[index];
}

std::filesystem::path Campaign::result_file(std::size_t index) const {
    return dir_ / "runs" / (padded(index) + ".db");
}
std::filesystem::path Campaign::failure_file(std::size_t index) const {
    return dir_ / "runs" / (padded(index) + ".failed");
}
std::filesystem::path Campaign::partial_file(std::size_t index, long pid) const {
    return dir_ / "runs" / (padded(index) + ".db.part-" + std::to_string(pid));
}

RunStatus Campaign::status(std::size_t index) const {
    if (std::filesystem::exists(result_file(index))) return {RunState::done, ""};
    if (std::filesystem::exists(failure_file(index)))
        return {RunState::failed, first_line(failure_file(index))};
    return {RunState::missing, "not run"};
}

std::vector<std::size_t> parse_indices(const std::string& text) {
    std::set<std::size_t> out;
    std::size_t at = 0;
    auto number = [&](const std::string& part, const std::string& s) {
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9)
            throw SweepError("indices '" + text + "': '" + part + "' is not an index or a range A-B");
        return static_cast<std::size_t>(std::stoul(s));
    };
    while (at <= text.size()) {
        const std::size_t comma = std::min(text.find(',', at), text.size());
        const std::string part = text.substr(at, comma - at);
        const std::size_t dash = part.find('-');
        if (dash == std::string::npos) {
            out.insert(number(part, part));
        } else {
            const std::size_t a = number(part, part.substr(0, dash)), b = number(part, part.substr(dash + 1));
            if (b < a) throw SweepError("indices '" + text + "': the range '" + part + "' runs backwards");
            for (std::size_t i = a; i <= b; ++i) out.insert(i);
        }
        at = comma + 1;
    }
    return {out.begin(), out.end()};
}

std::string format_indices(const std::vector<std::size_t>& indices) {
    std::string text;
    for (std::size_t i = 0; i < indices.size();) {
        std::size_t j = i;
        while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
        if (!text.empty()) text += ',';
        text += std::to_string(indices[i]);
        if (j > i) {
            text += '-';
            text += std::to_string(indices[j]);
        }
        i = j + 1;
    }
    return text;
}

std::string run_command_line(const Campaign& campaign, const CampaignRun& run,
                             const std::filesystem::path& db) {
    std::string line = "evtwin run " + shell_quoted(run.scenario.string()) + " --strategy " +
                       shell_quoted(run.strategy) + " --seed " + std::to_string(run.seed);
    for (const auto& [k, v] : run.params) line += " -D " + shell_quoted(k + "=" + v);
    for (const auto& [k, v] : run.options) line += " --opt " + shell_quoted(k + "=" + v);
    if (!campaign.data_dir().empty()) line += " --data-dir " + shell_quoted(campaign.data_dir().string());
    return line + " --db " + shell_quoted(db.string());
}

}  // namespace evtwin::sweep
