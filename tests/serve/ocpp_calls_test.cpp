// The central system's CALLs to one charge point (one outstanding at a time, in order, timeouts,
// cancellation) and its cache of replies (repeats answered alike, bounded).
#include "serve/csms/ocpp_calls.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace evtwin::serve {
namespace {

using nlohmann::json;

Incoming incoming_of(const std::string& frame) {
    const Parsed p = parse_message(OcppVersion::v201, frame);
    EXPECT_TRUE(p) << frame;
    return p ? *p.message : Incoming{};
}

std::string frame_id(const std::string& frame) {
    return json::parse(frame)[1].get<std::string>();
}

TEST(OcppCalls, MessageIdsAreUniqueAndShort) {
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i) {
        const std::string id = next_message_id();
        EXPECT_LE(id.size(), kMaxMessageIdLength);
        ids.insert(id);
    }
    EXPECT_EQ(ids.size(), 1000u);
    // Same prefix within the process, another counter.
    const std::string a = next_message_id(), b = next_message_id();
    EXPECT_EQ(a.substr(0, 9), b.substr(0, 9));
    EXPECT_NE(a, b);
}

TEST(OcppCalls, OneCallIsOutstandingAndTheOthersLeaveInOrder) {
    PendingCalls calls;
    std::vector<std::string> log;
    const auto record = [&](const CallOutcome& o) {
        log.push_back(o.action + (o.ok ? " ok " + o.payload.value("status", "") : " " + o.error.code));
    };
    const auto first = calls.enqueue("SetChargingProfile", {{"evseId", 1}}, 30'000, 1'000, record);
    ASSERT_TRUE(first.send_now);
    EXPECT_EQ(*first.send_now, R"([2,")" + first.id + R"(","SetChargingProfile",{"evseId":1}])");
    const auto second =
        calls.enqueue("GetCompositeSchedule", {{"evseId", 1}, {"duration", 60}}, 30'000, 1'001, record);
    const auto third = calls.enqueue("ClearChargingProfile", json::object(), 30'000, 1'002, record);
    EXPECT_FALSE(second.send_now);
    EXPECT_FALSE(third.send_now);
    EXPECT_NE(first.id, second.id);
    EXPECT_TRUE(calls.outstanding());
    EXPECT_EQ(calls.queued(), 2u);
    EXPECT_EQ(calls.next_deadline(), 31'000);

    // An answer to another id, or a CALL, changes nothing.
    EXPECT_FALSE(calls.resolve(incoming_of(R"([3, "other", {}])"), 2'000).matched);
    EXPECT_FALSE(calls.resolve(incoming_of(R"([2, ")" + first.id + R"(", "Heartbeat", {}])"), 2'000).matched);
    EXPECT_TRUE(log.empty());

    auto r = calls.resolve(incoming_of(R"([3, ")" + first.id + R"(", {"status": "Accepted"}])"), 5'000);
    EXPECT_TRUE(r.matched);
    ASSERT_TRUE(r.send_next);
    EXPECT_EQ(frame_id(*r.send_next), second.id);
    EXPECT_EQ(calls.next_deadline(), 35'000);  // from when it left
    r = calls.resolve(incoming_of(R"([4, ")" + second.id + R"(", "NotSupported", "no", {}])"), 6'000);
    EXPECT_TRUE(r.matched);
    ASSERT_TRUE(r.send_next);
    EXPECT_EQ(frame_id(*r.send_next), third.id);
    r = calls.resolve(incoming_of(R"([3, ")" + third.id + R"(", {"status": "Unknown"}])"), 7'000);
    EXPECT_TRUE(r.matched);
    EXPECT_FALSE(r.send_next);
    EXPECT_FALSE(calls.outstanding());
    EXPECT_FALSE(calls.next_deadline());
    EXPECT_EQ(log,
              (std::vector<std::string>{"SetChargingProfile ok Accepted", "GetCompositeSchedule NotSupported",
                                        "ClearChargingProfile ok Unknown"}));
    // Idle again: the next CALL leaves at once.
    EXPECT_TRUE(calls.enqueue("ClearChargingProfile", json::object(), 1'000, 8'000, record).send_now);
}

TEST(OcppCalls, ATimeoutEndsTheCallAndSendsTheNext) {
    PendingCalls calls;
    std::vector<CallOutcome> outcomes;
    const auto keep = [&](const CallOutcome& o) { outcomes.push_back(o); };
    const auto a = calls.enqueue("SetChargingProfile", json::object(), 10'000, 0, keep);
    const auto b = calls.enqueue("SetChargingProfile", json::object(), 10'000, 0, keep);
    EXPECT_FALSE(calls.expire(9'999));
    EXPECT_TRUE(outcomes.empty());
    const auto next = calls.expire(10'000);
    ASSERT_TRUE(next);
    EXPECT_EQ(frame_id(*next), b.id);
    ASSERT_EQ(outcomes.size(), 1u);
    EXPECT_EQ(outcomes[0].id, a.id);
    EXPECT_FALSE(outcomes[0].ok);
    EXPECT_EQ(outcomes[0].error.code, call_code::timeout);
    EXPECT_EQ(calls.next_deadline(), 20'000);
    // The late answer to the first matches nothing; the second is still outstanding.
    EXPECT_FALSE(calls.resolve(incoming_of(R"([3, ")" + a.id + R"(", {}])"), 10'500).matched);
    EXPECT_TRUE(calls.outstanding());
    EXPECT_FALSE(calls.expire(20'000));  // nothing queued behind it
    EXPECT_EQ(outcomes.size(), 2u);
    EXPECT_FALSE(calls.outstanding());
}

TEST(OcppCalls, CancelAllEndsOutstandingAndQueuedCalls) {
    PendingCalls calls;
    std::vector<std::string> ended;
    const auto keep = [&](const CallOutcome& o) {
        ended.push_back(o.id + " " + o.error.code + " " + o.error.description);
    };
    const auto a = calls.enqueue("SetChargingProfile", json::object(), 10'000, 0, keep);
    const auto b = calls.enqueue("SetChargingProfile", json::object(), 10'000, 0, keep);
    calls.cancel_all("connection closed");
    EXPECT_EQ(ended, (std::vector<std::string>{a.id + " Cancelled connection closed",
                                               b.id + " Cancelled connection closed"}));
    EXPECT_FALSE(calls.outstanding());
    EXPECT_EQ(calls.queued(), 0u);
    EXPECT_FALSE(calls.resolve(incoming_of(R"([3, ")" + a.id + R"(", {}])"), 1).matched);
}

// A closed connection's calls end, and so does a call made after it closed: none is kept, with a
// callback that may hold the connection's state, for an answer that cannot come.
TEST(OcppCalls, AfterCloseACallEndsAtOnce) {
    PendingCalls calls;
    std::vector<std::string> ended;
    const auto keep = [&](const CallOutcome& o) { ended.push_back(o.action + " " + o.error.code); };
    calls.enqueue("SetChargingProfile", json::object(), 10'000, 0, keep);
    calls.close("connection closed");
    const auto late = calls.enqueue("GetCompositeSchedule", json::object(), 10'000, 1, keep);
    EXPECT_FALSE(late.send_now);
    EXPECT_EQ(ended,
              (std::vector<std::string>{"SetChargingProfile Cancelled", "GetCompositeSchedule Cancelled"}));
    EXPECT_FALSE(calls.outstanding());
    EXPECT_EQ(calls.queued(), 0u);
}

TEST(OcppCalls, AFullQueueRefusesAtOnce) {
    PendingCalls calls(2);
    std::vector<std::string> codes;
    const auto keep = [&](const CallOutcome& o) { codes.push_back(o.error.code); };
    EXPECT_TRUE(calls.enqueue("A", json::object(), 1'000, 0, keep).send_now);
    calls.enqueue("B", json::object(), 1'000, 0, keep);
    calls.enqueue("C", json::object(), 1'000, 0, keep);
    EXPECT_TRUE(codes.empty());
    const auto refused = calls.enqueue("D", json::object(), 1'000, 0, keep);
    EXPECT_FALSE(refused.send_now);
    EXPECT_EQ(codes, std::vector<std::string>{call_code::queue_full});
    EXPECT_EQ(calls.queued(), 2u);
}

TEST(OcppCalls, ACallbackMayQueueTheNextCall) {
    PendingCalls calls;
    std::optional<std::string> chained;
    const auto a = calls.enqueue("GetCompositeSchedule", json::object(), 1'000, 0, [&](const CallOutcome&) {
        chained = calls.enqueue("SetChargingProfile", json::object(), 1'000, 1, {}).send_now;
    });
    const auto r = calls.resolve(incoming_of(R"([3, ")" + a.id + R"(", {}])"), 1);
    EXPECT_TRUE(r.matched);
    EXPECT_FALSE(r.send_next);
    ASSERT_TRUE(chained);  // nothing was outstanding when the callback ran
    EXPECT_TRUE(calls.outstanding());
}

TEST(OcppCalls, ConcurrentCallersNeverHaveTwoCallsOutstanding) {
    PendingCalls calls(10'000);
    std::mutex sent_mutex;
    std::vector<std::string> sent;  // frames handed out to send, in order
    std::atomic<int> done{0};
    const auto send = [&](const std::optional<std::string>& frame) {
        if (!frame) return;
        const std::lock_guard lock(sent_mutex);
        sent.push_back(frame_id(*frame));
    };
    std::vector<std::thread> producers;
    for (int t = 0; t < 3; ++t)
        producers.emplace_back([&] {
            for (int i = 0; i < 100; ++i)
                send(calls
                         .enqueue("DataTransfer", json::object(), 60'000, 0,
                                  [&](const CallOutcome&) { ++done; })
                         .send_now);
        });
    // The charge point answers whatever is outstanding, in order.
    std::size_t answered = 0;
    while (answered < 300) {
        std::string id;
        {
            const std::lock_guard lock(sent_mutex);
            if (sent.size() > answered) id = sent[answered];
        }
        if (id.empty()) {
            std::this_thread::yield();
            continue;
        }
        const auto r = calls.resolve(incoming_of(R"([3, ")" + id + R"(", {}])"), 1);
        ASSERT_TRUE(r.matched);
        ++answered;
        send(r.send_next);
        // Never two frames handed out and unanswered.
        const std::lock_guard lock(sent_mutex);
        EXPECT_LE(sent.size(), answered + 1);
    }
    for (auto& t : producers) t.join();
    EXPECT_EQ(done.load(), 300);
    EXPECT_EQ(std::set<std::string>(sent.begin(), sent.end()).size(), 300u);
}

TEST(OcppReplyCache, ARepeatedCallGetsTheSameReply) {
    ReplyCache cache;
    const Incoming boot = incoming_of(R"([2, "17", "BootNotification", {"reason": "PowerUp"}])");
    EXPECT_FALSE(cache.find(boot));
    cache.remember(boot, R"([3,"17",{"status":"Accepted"}])");
    EXPECT_EQ(cache.find(boot), R"([3,"17",{"status":"Accepted"}])");
    // The same id for another request (a counter restarted after a reboot) is a new CALL.
    EXPECT_FALSE(cache.find(incoming_of(R"([2, "17", "Heartbeat", {}])")));
    EXPECT_FALSE(cache.find(incoming_of(R"([2, "17", "BootNotification", {"reason": "Watchdog"}])")));
    // Prefilled from recorded replies without their request: the id alone matches.
    cache.remember("18", R"([3,"18",{}])");
    EXPECT_EQ(cache.find(incoming_of(R"([2, "18", "Heartbeat", {}])")), R"([3,"18",{}])");
    // Remembering an id again replaces its reply.
    cache.remember("18", R"([3,"18",{"currentTime":"x"}])");
    EXPECT_EQ(cache.find(incoming_of(R"([2, "18", "Heartbeat", {}])")), R"([3,"18",{"currentTime":"x"}])");
    EXPECT_EQ(cache.size(), 2u);
}

TEST(OcppReplyCache, KeepsTheLastCapacityIds) {
    ReplyCache cache(256);
    for (int i = 0; i < 1000; ++i)
        cache.remember(std::to_string(i), std::string("r").append(std::to_string(i)));
    EXPECT_EQ(cache.size(), 256u);
    const auto call = [](int i) {
        return incoming_of(R"([2, ")" + std::to_string(i) + R"(", "Heartbeat", {}])");
    };
    EXPECT_FALSE(cache.find(call(743)));
    EXPECT_EQ(cache.find(call(744)), "r744");
    EXPECT_EQ(cache.find(call(999)), "r999");
    // Replacing entries does not grow it, and an entry replaced late is kept longest.
    for (int round = 0; round < 10; ++round)
        for (int i = 744; i < 1000; ++i)
            cache.remember(std::to_string(i), std::string("s").append(std::to_string(i)));
    cache.remember("744", "t744");
    EXPECT_EQ(cache.size(), 256u);
    cache.remember("new", "n");
    EXPECT_EQ(cache.size(), 256u);
    EXPECT_FALSE(cache.find(call(745)));  // the oldest now
    EXPECT_EQ(cache.find(call(744)), "t744");
}

}  // namespace
}  // namespace evtwin::serve
