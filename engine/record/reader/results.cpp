#include <evtwin/results.hpp>

#include "record/reader/run_reader.hpp"

namespace evtwin {

struct Results::Impl {
    RunReader reader;
};

Results::Results(const std::filesystem::path& file) : impl_(std::make_unique<Impl>(Impl{RunReader(file)})) {}
Results::~Results() = default;
Results::Results(Results&&) noexcept = default;
Results& Results::operator=(Results&&) noexcept = default;

const std::filesystem::path& Results::file() const {
    return impl_->reader.file();
}

std::vector<RunId> Results::run_ids() const {
    std::vector<RunId> ids;
    for (const RunRecord& r : impl_->reader.runs()) ids.push_back(r.id);
    return ids;
}

std::vector<std::string> Results::tables() const {
    return impl_->reader.tables();
}

ResultTable Results::table(std::string_view name, std::optional<RunId> run) const {
    return impl_->reader.table(name, run);
}

std::vector<Kpi> Results::kpis(RunId run) const {
    return impl_->reader.kpis(run);
}

std::string Results::results_dump(RunId run) const {
    return impl_->reader.results_dump(run);
}

}  // namespace evtwin
