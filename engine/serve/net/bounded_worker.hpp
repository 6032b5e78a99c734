#pragma once
// One thread that runs jobs in the order they were posted, with room for `capacity` jobs waiting:
// a job posted when that room is full is refused, so a burst of work waits in bounded memory or
// not at all.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace evtwin::serve {

class BoundedWorker {
public:
    explicit BoundedWorker(std::size_t capacity);
    ~BoundedWorker() { stop(); }
    BoundedWorker(const BoundedWorker&) = delete;
    BoundedWorker& operator=(const BoundedWorker&) = delete;

    // False, and `job` not run, when `capacity` jobs are waiting or the worker is stopped. A job's
    // exception is dropped.
    bool post(std::function<void()> job);
    // Lets the running job end, destroys the waiting ones unrun and joins the thread.
    void stop();
    std::size_t waiting() const;

private:
    void run();

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    bool stopping_ = false;
    std::thread thread_;  // last: it starts once the rest is made
};

}  // namespace evtwin::serve
