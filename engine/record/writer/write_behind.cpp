#include "record/writer/write_behind.hpp"

#include <pthread.h>

namespace evtwin {

// A new thread is queued on the core of the thread that creates it, and one that goes on computing
// can keep it waiting there until the scheduler next balances its cores. Waiting here until the
// thread runs hands the core to it, and the caller's wake-up then goes where a core is idle.
WriteBehind::WriteBehind() : thread_([this] { loop(); }) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return running_; });
}

WriteBehind::~WriteBehind() {
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !busy_; });
        quit_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void WriteBehind::submit(std::function<void()> job) {
    wait();
    {
        std::lock_guard lock(mutex_);
        job_ = std::move(job);
        busy_ = true;
    }
    changed_.notify_all();
}

void WriteBehind::wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !busy_; });
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void WriteBehind::wait_idle() noexcept {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !busy_; });
}

void WriteBehind::loop() {
    pthread_setname_np(pthread_self(), "evtwin-writer");  // in top, perf and gdb
    std::unique_lock lock(mutex_);
    running_ = true;
    changed_.notify_all();
    for (;;) {
        changed_.wait(lock, [this] { return busy_ || quit_; });
        if (!busy_) return;
        std::function<void()> job = std::move(job_);
        lock.unlock();
        std::exception_ptr failure;
        try {
            job();
        } catch (...) {
            failure = std::current_exception();
        }
        lock.lock();
        failure_ = failure;
        busy_ = false;
        changed_.notify_all();
    }
}

}  // namespace evtwin
