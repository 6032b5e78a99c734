// A helper thread started beside its caller starts on the cores the caller may use but its own,
// runs its body, and may then run on every core: it is moved at its start, not pinned. (What the
// move saves, the wait for the scheduler to balance the cores, is measured in docs/benchmarks.md.)
#include "util/thread_beside.hpp"

#include <gtest/gtest.h>

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <initializer_list>

namespace evtwin {
namespace {

cpu_set_t process_cores() {
    cpu_set_t cores;
    CPU_ZERO(&cores);
    EXPECT_EQ(sched_getaffinity(0, sizeof cores, &cores), 0);
    return cores;
}

TEST(StartThreadBeside, RunsTheBodyFreeToRunOnEveryCoreOfTheProcess) {
    const cpu_set_t process = process_cores();
    cpu_set_t seen;
    CPU_ZERO(&seen);
    std::atomic<int> runs{0};
    for (int i = 0; i < 20; ++i) {
        std::jthread thread = start_thread_beside([&] {
            EXPECT_EQ(pthread_getaffinity_np(pthread_self(), sizeof seen, &seen), 0);
            ++runs;
        });
        thread.join();
        EXPECT_TRUE(CPU_EQUAL(&seen, &process))
            << "the thread was left on " << CPU_COUNT(&seen) << " of " << CPU_COUNT(&process) << " cores";
    }
    EXPECT_EQ(runs, 20);
}

cpu_set_t cores(std::initializer_list<int> list) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (const int c : list) CPU_SET(c, &set);
    return set;
}

int count(const cpu_set_t& set) {
    return CPU_COUNT(&set);
}

TEST(StartThreadBeside, StartsOnTheCoresTheCallerMayUseButItsOwn) {
    const cpu_set_t three = cores({0, 2, 5});
    const cpu_set_t beside = cores_beside(three, 2);
    const cpu_set_t expected = cores({0, 5});
    EXPECT_TRUE(CPU_EQUAL(&beside, &expected));
    EXPECT_EQ(count(cores_beside(cores({3}), 3)), 0) << "one core: none other";
    EXPECT_EQ(count(cores_beside(three, -1)), 0) << "the caller's core unknown";
    EXPECT_EQ(count(cores_beside(three, 1)), 0) << "the caller on a core it may not use";
}

}  // namespace
}  // namespace evtwin
