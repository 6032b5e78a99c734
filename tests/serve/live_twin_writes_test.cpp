// The live twin writes the run's rows outside its lock: while the database takes them and commits,
// the twin answers (as a charge point's call needs it to).
#include "host/plugin_loader.hpp"
#include "live_site.hpp"
#include "serve/csms/charge_point_map.hpp"
#include "serve/live/live_twin.hpp"
#include "support/memory_sink.hpp"

#include <evtwin/scenario.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <future>

namespace evtwin::serve {
namespace {

// A sink whose commit asks the twin from another thread and waits a while for the answer.
class AskingSink : public evtwin::test::MemorySink {
public:
    void ask_during_commits(LiveTwin& twin) { twin_ = &twin; }
    int commits = 0, answered_during_commit = 0;
    // The question of the last commit: kept past it, so that a twin still locked answers after.
    std::future<std::size_t> last_question;

    void flush() override {
        MemorySink::flush();
        if (!twin_) return;
        ++commits;
        last_question = std::async(std::launch::async, [this] { return twin_->connectors().size(); });
        if (last_question.wait_for(std::chrono::seconds(2)) == std::future_status::ready)
            ++answered_during_commit;
    }

private:
    LiveTwin* twin_ = nullptr;
};

TEST(LiveTwinWrites, TheDeferredSinkPassesOnWhatItKeptInOrderOnce) {
    DeferredSink deferred;
    const Time t(60'000);
    deferred.event(t, EventKind::arrival, 0, 7, "first");
    deferred.connector_sample(t, 0, 11.0, 0.5, PilotState::C);
    deferred.event(t, EventKind::departure, 0, 7, "second");
    evtwin::test::MemorySink out;
    DeferredSink::pass_on(deferred.take(), out);
    DeferredSink::pass_on(deferred.take(), out);  // nothing kept twice
    ASSERT_EQ(out.events.size(), 2u);
    EXPECT_EQ(out.events[0].detail, "first");
    EXPECT_EQ(out.events[1].detail, "second");
    ASSERT_EQ(out.connector_samples.size(), 1u);
    EXPECT_EQ(out.connector_samples[0].kw, 11.0);
}

TEST(LiveTwinWrites, TheTwinAnswersWhileTheRunIsCommitted) {
    const ScenarioSpec spec = live_test::load_site(live_test::kSite);
    StrategyHandle strategy = load_strategy("uncontrolled");
    AskingSink sink;
    LiveTwin twin(spec, *strategy, sink, {"live-site", "site.lua", "uncontrolled", "1", "", 1, "test"});
    const ChargePointMap map(spec, twin.site());
    sink.ask_during_commits(twin);

    const ConnectorIndex c = map.find("CP-A", 1);
    twin.set_online(c, spec.start + Duration::minutes(1), true);
    twin.start_session(c, spec.start + Duration::minutes(1), "a1", "", 0.0, std::nullopt);
    twin.decide(spec.start + Duration::minutes(2));
    bool persisted = false;
    twin.flush([&](const std::vector<LiveSession>& open) { persisted = open.size() == 1; });
    twin.finish(spec.start + Duration::minutes(3), false);
    if (sink.last_question.valid()) sink.last_question.get();

    EXPECT_TRUE(persisted);
    EXPECT_EQ(sink.commits, 1);
    EXPECT_EQ(sink.answered_during_commit, sink.commits);
    EXPECT_EQ(sink.sessions.size(), 1u);  // finish() wrote the rest
}

}  // namespace
}  // namespace evtwin::serve
