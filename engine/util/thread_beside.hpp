#pragma once
// Starting a helper thread on a core of its own. A new thread is queued on the core of the thread
// that starts it, and a caller that goes on computing keeps it waiting there until the scheduler
// next balances its cores: 0.1 to 4 ms on the 2-core machines measured (docs/benchmarks.md). A
// helper that is to work beside its caller is worth starting where it can run at once.
#include <sched.h>

#include <functional>
#include <thread>

namespace evtwin {

// Runs `body` on a new thread that starts on a core other than the caller's, when the process may
// run on another; once running, the thread may run on every core the process may. The thread is
// joined when the returned handle goes.
std::jthread start_thread_beside(std::function<void()> body);

// The cores such a thread starts on: those of `allowed` but `here`, the caller's; none when the
// caller may run on `here` alone, or `here` is unknown (negative) or not among them.
cpu_set_t cores_beside(const cpu_set_t& allowed, int here);

}  // namespace evtwin
