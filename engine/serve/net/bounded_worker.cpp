#include "serve/net/bounded_worker.hpp"

#include <utility>

namespace evtwin::serve {

BoundedWorker::BoundedWorker(std::size_t capacity) : capacity_(capacity), thread_([this] { run(); }) {}

bool BoundedWorker::post(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || jobs_.size() >= capacity_) return false;
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
}

void BoundedWorker::stop() {
    std::deque<std::function<void()>> dropped;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        dropped.swap(jobs_);
    }
    wake_.notify_one();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

std::size_t BoundedWorker::waiting() const {
    std::lock_guard lock(mutex_);
    return jobs_.size();
}

void BoundedWorker::run() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
            if (stopping_) return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        try {
            job();
        } catch (...) {
        }
    }
}

}  // namespace evtwin::serve
