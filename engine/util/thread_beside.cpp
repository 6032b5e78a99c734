#include "util/thread_beside.hpp"

#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <memory>

namespace evtwin {

cpu_set_t cores_beside(const cpu_set_t& allowed, int here) {
    cpu_set_t elsewhere;
    CPU_ZERO(&elsewhere);
    if (here < 0 || here >= CPU_SETSIZE || !CPU_ISSET(here, &allowed)) return elsewhere;
    elsewhere = allowed;
    CPU_CLR(here, &elsewhere);
    return elsewhere;
}

std::jthread start_thread_beside(std::function<void()> body) {
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return std::jthread(std::move(body));
    const cpu_set_t elsewhere = cores_beside(allowed, sched_getcpu());
    if (CPU_COUNT(&elsewhere) == 0) return std::jthread(std::move(body));

    // The thread waits until it has been moved before it widens its cores again, so that the move
    // cannot come after the widening.
    auto moved = std::make_shared<std::atomic<bool>>(false);
    std::jthread thread([moved, allowed, body = std::move(body)] {
        moved->wait(false, std::memory_order_acquire);
        pthread_setaffinity_np(pthread_self(), sizeof allowed, &allowed);
        body();
    });
    pthread_setaffinity_np(thread.native_handle(), sizeof elsewhere, &elsewhere);
    moved->store(true, std::memory_order_release);
    moved->notify_one();
    return thread;
}

}  // namespace evtwin
