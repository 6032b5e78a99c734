#pragma once
// The LSTM recurrence for one window at inference, in plain loops: at these sizes (a few dozen
// units, a few hundred steps) LibTorch's per-step dispatch costs more than the arithmetic.
#include <cstddef>

namespace evtwin::forecast_learned {

// gates_in: steps × 4n input projections plus both biases (gate order input, forget, cell, output);
// w_hh_t: n × 4n (W_hh transposed); h, c: the state (n each), updated; out: steps × n.
void lstm_recurrence(const float* gates_in, const float* w_hh_t, std::size_t steps, std::size_t n, float* h,
                     float* c, float* out);

}  // namespace evtwin::forecast_learned
