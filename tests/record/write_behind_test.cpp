#include "record/writer/write_behind.hpp"

#include <gtest/gtest.h>

#include <future>
#include <stdexcept>

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

TEST(WriteBehind, AFailedJobIsRethrownAtTheNextWait) {
    WriteBehind behind;
    behind.submit([] { throw std::runtime_error("disk full"); });
    EXPECT_THROW(behind.wait(), std::runtime_error);
    EXPECT_TRUE(behind.idle());
    EXPECT_NO_THROW(behind.wait()) << "a failure is reported once";
}

}  // namespace
}  // namespace evtwin
