#pragma once
// The thread count of LibTorch and of the OpenBLAS behind it (plugins/blas_support/threads.hpp),
// shared by the LibTorch plugins (it includes LibTorch).
#include "plugins/blas_support/threads.hpp"

#include <torch/torch.h>

#include <algorithm>

namespace evtwin::torch_support {

inline void set_threads(int threads) {
    const int n = std::max(1, threads);
    torch::set_num_threads(n);
    blas_support::set_openblas_threads(n);
}

}  // namespace evtwin::torch_support
