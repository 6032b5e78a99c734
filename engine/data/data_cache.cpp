#include "data/data_cache.hpp"

namespace evtwin {

namespace {
thread_local DataCache* thread_cache = nullptr;
}  // namespace

DataCache::Scope::Scope(DataCache& cache) : previous_(thread_cache) {
    thread_cache = &cache;
}

DataCache::Scope::~Scope() {
    thread_cache = previous_;
}

DataCache* DataCache::current() {
    return thread_cache;
}

}  // namespace evtwin
