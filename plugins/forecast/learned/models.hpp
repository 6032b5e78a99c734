#pragma once
// The LibTorch modules (included by network.cpp and trainer.cpp only: LibTorch headers are slow).
// Both map past [B, H, P] and known future [B, F, K] features to quantiles [B, F, C, 3], monotone
// by construction: P50 is free, P10 and P90 lie a softplus below and above it.
#include "plugins/forecast/learned/network.hpp"

#include <torch/torch.h>

#include <memory>

namespace evtwin::forecast_learned {

struct ForecastNet : torch::nn::Module {
    virtual torch::Tensor forward(const torch::Tensor& past, const torch::Tensor& future) = 0;
};

// From x, per horizon step and channel: softmax weights over the channel's same-time features (the
// target a day, a week... earlier: features.hpp), whose weighted sum is the base; and three numbers
// m, a, b. P50 = base + m, P10 = P50 − softplus(a), P90 = P50 + softplus(b). So the network starts
// from a blend of naive forecasts and learns which to trust when, and what to add.
struct QuantileHeadImpl : torch::nn::Module {
    // same_time: [C, L] column indices into the future features, L same-time features per channel
    QuantileHeadImpl(std::int64_t in, torch::Tensor same_time);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& future);  // [B, F, in] -> [B, F, C, 3]
    torch::nn::Linear linear{nullptr}, mix{nullptr};
    torch::Tensor same_time;
    std::int64_t channels, lags;
};
TORCH_MODULE(QuantileHead);

// Gated residual network: ELU(W1 x + W_c c) -> W2 -> dropout -> GLU, added to the (projected)
// input and layer-normalised. The context c is optional.
struct GrnImpl : torch::nn::Module {
    GrnImpl(std::int64_t in, std::int64_t hidden, std::int64_t out, std::int64_t context, double dropout);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& context = {});
    torch::nn::Linear fc1{nullptr}, fc2{nullptr}, gate{nullptr}, skip{nullptr}, ctx{nullptr};
    torch::nn::Dropout drop{nullptr};
    torch::nn::LayerNorm norm{nullptr};
};
TORCH_MODULE(Grn);

// Variable selection over n scalar inputs: each variable has its own linear embedding (d); softmax
// weights from a GRN over all the inputs together select among them, and one GRN processes their
// weighted sum. (The TFT paper runs a GRN per variable before the sum; after it, the cost is n
// times lower, which keeps a forecast under a millisecond.)
struct VariableSelectionImpl : torch::nn::Module {
    VariableSelectionImpl(std::int64_t variables, std::int64_t d, double dropout);
    torch::Tensor forward(const torch::Tensor& x);  // [B, T, n] -> [B, T, d]
    torch::Tensor embed_w, embed_b;
    Grn selector{nullptr}, process{nullptr};
    std::int64_t variables, d;
};
TORCH_MODULE(VariableSelection);

// Gate, add, norm: LayerNorm(skip + GLU(W x)).
struct GateAddNormImpl : torch::nn::Module {
    explicit GateAddNormImpl(std::int64_t d);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& skip);
    torch::nn::Linear gate{nullptr};
    torch::nn::LayerNorm norm{nullptr};
};
TORCH_MODULE(GateAddNorm);

// Interpretable multi-head attention (TFT): per-head queries and keys, one value projection shared by
// the heads, head outputs averaged. Queries are the horizon's positions; a causal mask lets
// horizon step j see the history and horizon steps up to j.
struct InterpretableAttentionImpl : torch::nn::Module {
    InterpretableAttentionImpl(std::int64_t d, std::int64_t heads);
    torch::Tensor forward(const torch::Tensor& seq, std::int64_t history);  // seq [B, H+F, d] -> [B, F, d]
    torch::nn::Linear q{nullptr}, k{nullptr}, v{nullptr}, out{nullptr};
    std::int64_t heads, dk;
};
TORCH_MODULE(InterpretableAttention);

// LSTM encoder over the history, LSTM decoder over the known future from the encoder's state; the
// head sees the decoder's output and the future features (a direct path for the lag features).
struct LstmNet : ForecastNet {
    LstmNet(std::int64_t past, std::int64_t future, const torch::Tensor& same_time, std::int64_t hidden);
    torch::Tensor forward(const torch::Tensor& past, const torch::Tensor& future) override;
    torch::nn::LSTM encoder{nullptr}, decoder{nullptr};
    QuantileHead head{nullptr};
};

// Temporal-Fusion-Transformer-style: variable selection (past and future apart), LSTM encoder and
// decoder, gate-add-norm, enrichment GRN, interpretable causal self-attention, position-wise GRN,
// quantile head.
struct TftNet : ForecastNet {
    TftNet(std::int64_t past, std::int64_t future, const torch::Tensor& same_time, std::int64_t d,
           std::int64_t heads, double dropout);
    torch::Tensor forward(const torch::Tensor& past, const torch::Tensor& future) override;
    VariableSelection past_select{nullptr}, future_select{nullptr};
    torch::nn::LSTM encoder{nullptr}, decoder{nullptr};
    GateAddNorm lstm_gate{nullptr}, attention_gate{nullptr}, output_gate{nullptr};
    Grn enrich{nullptr}, position_wise{nullptr};
    InterpretableAttention attention{nullptr};
    QuantileHead head{nullptr};
};

// An LSTM's forward; without gradients and for one window it runs a hand-written recurrence
// (lstm_kernel.cpp), the same up to float rounding.
using LstmState = std::tuple<torch::Tensor, torch::Tensor>;
std::tuple<torch::Tensor, LstmState> run_lstm(torch::nn::LSTM& lstm, const torch::Tensor& x,
                                              const std::optional<LstmState>& state = std::nullopt);

// Mean pinball loss over the quantile levels: q [B, F, C, 3], y [B, F, C].
torch::Tensor pinball_loss(const torch::Tensor& q, const torch::Tensor& y);

struct Network::Impl {
    ModelHeader header;
    std::shared_ptr<ForecastNet> net;
    torch::Tensor past, future;  // [1, H, P], [1, F, K], reused by predict()
};

}  // namespace evtwin::forecast_learned
