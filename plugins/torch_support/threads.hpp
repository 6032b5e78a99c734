#pragma once
// The thread count of LibTorch and of the OpenBLAS behind it, shared by the LibTorch plugins (it
// includes LibTorch). OpenBLAS otherwise takes every core, and it splits a product differently with
// another number of threads, which changes the sums: a seed's result would depend on the machine.
#include <torch/torch.h>

#include <dlfcn.h>

#include <algorithm>

namespace evtwin::torch_support {

inline void set_threads(int threads) {
    const int n = std::max(1, threads);
    torch::set_num_threads(n);
    using SetThreads = void (*)(int);
    for (const char* library : {"libopenblas.so.0", "libblas.so.3"}) {
        void* handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD);  // only one already loaded
        if (!handle) continue;
        auto set = reinterpret_cast<SetThreads>(dlsym(handle, "openblas_set_num_threads"));
        dlclose(handle);
        if (set) {
            set(n);
            return;
        }
    }
}

}  // namespace evtwin::torch_support
