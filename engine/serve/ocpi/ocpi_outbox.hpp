#pragma once
// The calls live mode's OCPI endpoints make to an eMSP on their own (a session pushed as it changes,
// a CDR as a session ends, a charging profile's result to its response_url), sent in order on a
// thread of their own so that neither the twin nor a request waits for the eMSP. OCPI asks no
// retries of these calls: one that fails (no answer within the timeout, an HTTP error, an OCPI
// status other than 1000) is counted and its reason kept, not sent again. The queue is bounded: an
// eMSP that stops answering must not make the server's memory grow with every change; past the
// bound the oldest call waiting is dropped (counted as failed).
#include "serve/net/http_client.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace evtwin::serve::ocpi {

class Outbox {
public:
    explicit Outbox(std::chrono::milliseconds timeout = std::chrono::seconds(5),
                    std::size_t max_queued = 10'000);
    ~Outbox();  // sends what is queued, then stops

    void send(HttpClientRequest request);
    // Waits until everything queued so far is sent (or failed).
    void drain();

    std::size_t sent() const;
    std::size_t failed() const;
    // The reasons of the last failures (at most 20), newest last.
    std::vector<std::string> failures() const;

private:
    void run();

    std::chrono::milliseconds timeout_;
    std::size_t max_queued_;
    mutable std::mutex mutex_;
    std::condition_variable wake_, idle_;
    std::deque<HttpClientRequest> queue_;
    bool busy_ = false;
    bool stopping_ = false;
    std::size_t sent_ = 0, failed_ = 0;
    std::vector<std::string> failures_;
    std::thread thread_;
};

}  // namespace evtwin::serve::ocpi
