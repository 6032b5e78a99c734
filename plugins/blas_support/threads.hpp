#pragma once
// The thread count of OpenBLAS, where the BLAS that Debian's alternatives select is OpenBLAS: the
// solvers' LAPACK calls (CoinUtils' dense factorization, CLP) and LibTorch's go to it. OpenBLAS
// otherwise starts a thread per core whose threads spin between calls, while evtwin runs its solves
// and trainings side by side (sweeps, the server's workers, the test suites) and parallelism belongs
// to those runs. It also splits a product differently with another number of threads, which changes
// the sums: a seed's result would depend on the machine.
#include <dlfcn.h>

#include <algorithm>

namespace evtwin::blas_support {

// Sets OpenBLAS's thread count (at least 1) when OpenBLAS is loaded; does nothing under another BLAS.
inline void set_openblas_threads(int threads) {
    using SetThreads = void (*)(int);
    for (const char* library : {"libopenblas.so.0", "libblas.so.3"}) {
        void* handle = dlopen(library, RTLD_LAZY | RTLD_NOLOAD);  // only one already loaded
        if (!handle) continue;
        auto set = reinterpret_cast<SetThreads>(dlsym(handle, "openblas_set_num_threads"));
        dlclose(handle);
        if (set) {
            set(std::max(1, threads));
            return;
        }
    }
}

}  // namespace evtwin::blas_support
