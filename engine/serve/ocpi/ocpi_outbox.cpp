#include "serve/ocpi/ocpi_outbox.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace evtwin::serve::ocpi {

Outbox::Outbox(std::chrono::milliseconds timeout, std::size_t max_queued)
    : timeout_(timeout), max_queued_(std::max<std::size_t>(1, max_queued)) {
    thread_ = std::thread([this] { run(); });
}

Outbox::~Outbox() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void Outbox::send(HttpClientRequest request) {
    request.timeout = timeout_;
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= max_queued_) {
            ++failed_;
            failures_.push_back(queue_.front().method + " " + queue_.front().url + ": dropped, " +
                                std::to_string(max_queued_) + " calls waiting");
            if (failures_.size() > 20) failures_.erase(failures_.begin());
            queue_.pop_front();
        }
        queue_.push_back(std::move(request));
    }
    wake_.notify_all();
}

void Outbox::drain() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

std::size_t Outbox::sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
}

std::size_t Outbox::failed() const {
    std::lock_guard lock(mutex_);
    return failed_;
}

std::vector<std::string> Outbox::failures() const {
    std::lock_guard lock(mutex_);
    return failures_;
}

void Outbox::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, everything sent
        HttpClientRequest request = std::move(queue_.front());
        queue_.pop_front();
        busy_ = true;
        lock.unlock();
        std::string problem;
        try {
            const HttpClientReply reply = http_call(request);
            if (reply.status < 200 || reply.status >= 300) {
                problem = "HTTP " + std::to_string(reply.status);
            } else {
                const auto body = nlohmann::json::parse(reply.body, nullptr, false);
                if (!body.is_object() || body.value("status_code", 0) != 1000)
                    problem = "OCPI status " + (body.is_object() && body.contains("status_code")
                                                    ? body["status_code"].dump()
                                                    : std::string("missing"));
            }
        } catch (const std::exception& e) {
            problem = e.what();
        }
        lock.lock();
        busy_ = false;
        if (problem.empty()) {
            ++sent_;
        } else {
            ++failed_;
            failures_.push_back(request.method + " " + request.url + ": " + problem);
            if (failures_.size() > 20) failures_.erase(failures_.begin());
        }
        if (queue_.empty()) idle_.notify_all();
    }
}

}  // namespace evtwin::serve::ocpi
