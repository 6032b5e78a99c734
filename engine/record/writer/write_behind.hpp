#pragma once
// One background thread that runs jobs one after another, so that a caller can hand work off and go
// on with its own. A job's failure is rethrown to the caller at its next submit() or wait(). The
// thread is running when the constructor returns, so a first job never waits for it to start.
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

namespace evtwin {

class WriteBehind {
public:
    // Returns once the thread runs.
    WriteBehind();
    // Waits for the job in hand; its failure, if any, is dropped.
    ~WriteBehind();
    WriteBehind(const WriteBehind&) = delete;
    WriteBehind& operator=(const WriteBehind&) = delete;

    // Waits for the previous job, then starts `job` on the thread.
    void submit(std::function<void()> job);
    // Waits until the thread is idle; rethrows the exception of a job that failed since the last call.
    void wait();
    // Waits until the thread is idle; a failure stays for the next submit() or wait().
    void wait_idle() noexcept;
    // Whether the thread has finished its job (without waiting for it).
    bool idle() const { return !busy_.load(std::memory_order_acquire); }

private:
    void loop();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::function<void()> job_;
    std::exception_ptr failure_;
    std::atomic<bool> busy_{false};  // changed under the mutex; read without it by idle()
    bool quit_ = false;
    bool running_ = false;  // the thread has started
    std::jthread thread_;
};

}  // namespace evtwin
