// A helper thread started beside its caller runs its body, and then may run on every core the
// process may: it is moved at its start, not pinned.
#include "util/thread_beside.hpp"

#include <gtest/gtest.h>

#include <pthread.h>
#include <sched.h>

#include <atomic>

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
        std::thread thread = start_thread_beside([&] {
            EXPECT_EQ(pthread_getaffinity_np(pthread_self(), sizeof seen, &seen), 0);
            ++runs;
        });
        thread.join();
        EXPECT_TRUE(CPU_EQUAL(&seen, &process))
            << "the thread was left on " << CPU_COUNT(&seen) << " of " << CPU_COUNT(&process) << " cores";
    }
    EXPECT_EQ(runs, 20);
}

TEST(StartThreadBeside, StartsOnAnotherCoreThanTheCallersWhenThereIsOne) {
    const cpu_set_t process = process_cores();
    const bool one_core = CPU_COUNT(&process) == 1;
    int elsewhere = 0;
    for (int i = 0; i < 20; ++i) {
        const int here = sched_getcpu();
        int started_on = -1;
        std::thread thread = start_thread_beside([&] { started_on = sched_getcpu(); });
        thread.join();
        elsewhere += started_on != here;
    }
    if (one_core) {
        EXPECT_EQ(elsewhere, 0) << "with one core there is no other";
    } else {
        EXPECT_GE(elsewhere, 15)
            << "the caller may itself move between its call and the thread's start, rarely";
    }
}

}  // namespace
}  // namespace evtwin
