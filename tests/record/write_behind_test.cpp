#include "record/writer/write_behind.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>
#include <string>

namespace evtwin {
namespace {

TEST(WriteBehind, IdleUntilAJobRunsAndAgainWhenItEnds) {
    WriteBehind behind;
    EXPECT_TRUE(behind.idle());
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    behind.submit([released] { released.wait(); });
    EXPECT_FALSE(behind.idle()) << "the job waits for the release";
    release.set_value();
    behind.wait();
    EXPECT_TRUE(behind.idle());
}

// The process's threads named as the writer's thread names itself when it starts running.
int writer_threads() {
    int n = 0;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::string name;
        std::getline(std::ifstream(task.path() / "comm"), name);
        n += name == "evtwin-writer";
    }
    return n;
}

TEST(WriteBehind, TheThreadRunsWhenTheConstructorReturns) {
    const int before = writer_threads();
    {
        WriteBehind behind;
        EXPECT_EQ(writer_threads(), before + 1);
    }
    EXPECT_EQ(writer_threads(), before) << "joined when the writer goes";
}

TEST(WriteBehind, AFailedJobIsRethrownAtTheNextWait) {
    WriteBehind behind;
    behind.submit([] { throw std::runtime_error("disk full"); });
    EXPECT_THROW(behind.wait(), std::runtime_error);
    EXPECT_TRUE(behind.idle());
    EXPECT_NO_THROW(behind.wait()) << "a failure is reported once";
}

}  // namespace
}  // namespace evtwin
