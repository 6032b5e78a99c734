// The password check's worker thread: jobs run in order, a full queue refuses, stop() drops what
// waits.
#include "serve/net/bounded_worker.hpp"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <thread>
#include <vector>

namespace evtwin::serve {
namespace {

// Posts a job that holds the worker until `release` is set; returns once it runs.
void hold(BoundedWorker& worker, std::shared_future<void> release) {
    std::promise<void> started;
    ASSERT_TRUE(worker.post([&started, release] {
        started.set_value();
        release.wait();
    }));
    started.get_future().wait();
}

TEST(BoundedWorker, RunsJobsInTheOrderPosted) {
    BoundedWorker worker(100);
    std::vector<int> ran;  // written by the worker only, read after the last job
    for (int i = 0; i < 50; ++i) ASSERT_TRUE(worker.post([&ran, i] { ran.push_back(i); }));
    std::promise<void> done;
    ASSERT_TRUE(worker.post([&done] { done.set_value(); }));
    done.get_future().wait();
    ASSERT_EQ(ran.size(), 50u);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(ran[i], i);
}

TEST(BoundedWorker, RefusesAJobWhenItsQueueIsFull) {
    BoundedWorker worker(2);
    std::promise<void> release;
    hold(worker, release.get_future().share());
    std::promise<void> first, second;
    EXPECT_TRUE(worker.post([&first] { first.set_value(); }));
    EXPECT_TRUE(worker.post([&second] { second.set_value(); }));
    EXPECT_EQ(worker.waiting(), 2u);
    EXPECT_FALSE(worker.post([] {}));
    release.set_value();
    first.get_future().wait();
    second.get_future().wait();
    EXPECT_TRUE(worker.post([] {}));
}

TEST(BoundedWorker, StopDropsTheWaitingJobsUnrun) {
    BoundedWorker worker(4);
    std::promise<void> release;
    hold(worker, release.get_future().share());
    auto token = std::make_shared<int>(0);
    bool ran = false;
    ASSERT_TRUE(worker.post([token, &ran] { ran = true; }));
    EXPECT_EQ(token.use_count(), 2);
    auto stopped = std::async(std::launch::async, [&worker] { worker.stop(); });
    while (worker.waiting() > 0) std::this_thread::yield();
    release.set_value();
    stopped.get();
    EXPECT_FALSE(ran);
    EXPECT_EQ(token.use_count(), 1);  // the job was destroyed
    EXPECT_FALSE(worker.post([] {}));
}

}  // namespace
}  // namespace evtwin::serve
