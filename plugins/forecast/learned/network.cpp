#include "plugins/forecast/learned/models.hpp"

#include "plugins/forecast/learned/lstm_kernel.hpp"

#include <cmath>
#include <cstring>
#include <sstream>
#include <vector>

namespace evtwin::forecast_learned {

namespace F = torch::nn::functional;

QuantileHeadImpl::QuantileHeadImpl(std::int64_t in, torch::Tensor same_time_)
    : linear(register_module("linear", torch::nn::Linear(in, same_time_.size(0) * 3))),
      mix(register_module("mix", torch::nn::Linear(in, same_time_.numel()))),
      same_time(register_buffer("same_time", std::move(same_time_))),
      channels(same_time.size(0)),
      lags(same_time.size(1)) {
    // an even blend, nothing added, to start from
    torch::NoGradGuard no_grad;
    mix->weight.zero_();
    mix->bias.zero_();
    linear->weight.view({channels, 3, in}).select(1, 1).zero_();
    linear->bias.view({channels, 3}).select(1, 1).zero_();
}

torch::Tensor QuantileHeadImpl::forward(const torch::Tensor& x, const torch::Tensor& future) {
    const auto b = x.size(0), f = x.size(1);
    auto raw = linear(x).view({b, f, channels, 3});
    auto weights = torch::softmax(mix(x).view({b, f, channels, lags}), -1);
    auto lagged = future.index_select(2, same_time.flatten()).view({b, f, channels, lags});
    auto mid = (weights * lagged).sum(-1) + raw.select(-1, 1);
    auto low = mid - F::softplus(raw.select(-1, 0));
    auto high = mid + F::softplus(raw.select(-1, 2));
    return torch::stack({low, mid, high}, -1);
}

GrnImpl::GrnImpl(std::int64_t in, std::int64_t hidden, std::int64_t out, std::int64_t context, double dropout)
    : fc1(register_module("fc1", torch::nn::Linear(in, hidden))),
      fc2(register_module("fc2", torch::nn::Linear(hidden, hidden))),
      gate(register_module("gate", torch::nn::Linear(hidden, 2 * out))),
      drop(register_module("drop", torch::nn::Dropout(dropout))),
      norm(register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({out})))) {
    if (in != out) skip = register_module("skip", torch::nn::Linear(in, out));
    if (context > 0)
        ctx =
            register_module("ctx", torch::nn::Linear(torch::nn::LinearOptions(context, hidden).bias(false)));
}

torch::Tensor GrnImpl::forward(const torch::Tensor& x, const torch::Tensor& context) {
    auto a = fc1(x);
    if (ctx && context.defined()) a = a + ctx(context);
    a = fc2(F::elu(a));
    a = torch::glu(gate(drop(a)), -1);
    return norm((skip ? skip(x) : x) + a);
}

VariableSelectionImpl::VariableSelectionImpl(std::int64_t variables_, std::int64_t d_, double dropout)
    : variables(variables_), d(d_) {
    embed_w = register_parameter("embed_w", torch::randn({variables, d}) * 0.5);
    embed_b = register_parameter("embed_b", torch::zeros({variables, d}));
    selector = register_module("selector", Grn(variables, d, variables, 0, dropout));
    process = register_module("process", Grn(d, d, d, 0, dropout));
}

torch::Tensor VariableSelectionImpl::forward(const torch::Tensor& x) {
    auto weights = torch::softmax(selector(x), -1);  // [B, T, n]
    // sum_i w_i (x_i e_i + b_i), as two products instead of a [B, T, n, d] tensor
    auto combined = torch::matmul(weights * x, embed_w) + torch::matmul(weights, embed_b);
    return process(combined);
}

GateAddNormImpl::GateAddNormImpl(std::int64_t d)
    : gate(register_module("gate", torch::nn::Linear(d, 2 * d))),
      norm(register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})))) {}

torch::Tensor GateAddNormImpl::forward(const torch::Tensor& x, const torch::Tensor& skip) {
    return norm(skip + torch::glu(gate(x), -1));
}

InterpretableAttentionImpl::InterpretableAttentionImpl(std::int64_t d, std::int64_t heads_)
    : q(register_module("q", torch::nn::Linear(d, d))),
      k(register_module("k", torch::nn::Linear(d, d))),
      v(register_module("v", torch::nn::Linear(d, d / heads_))),
      out(register_module("out", torch::nn::Linear(d / heads_, d))),
      heads(heads_),
      dk(d / heads_) {}

torch::Tensor InterpretableAttentionImpl::forward(const torch::Tensor& seq, std::int64_t history) {
    const auto b = seq.size(0), s = seq.size(1), f = s - history;
    auto query = q(seq.narrow(1, history, f)).view({b, f, heads, dk}).transpose(1, 2);  // [B, h, F, dk]
    auto key = k(seq).view({b, s, heads, dk}).transpose(1, 2);                          // [B, h, S, dk]
    auto value = v(seq);                                                                // [B, S, dk]
    auto scores = torch::matmul(query, key.transpose(-2, -1)) / std::sqrt(static_cast<double>(dk));
    // horizon step j (position history + j) sees positions <= history + j
    auto positions = torch::arange(s, seq.options().dtype(torch::kLong));
    auto limits = torch::arange(history, s, seq.options().dtype(torch::kLong)).unsqueeze(1);
    auto future_mask = positions.unsqueeze(0) > limits;  // [F, S]
    scores = scores.masked_fill(future_mask, -1e9);
    auto attn = torch::softmax(scores, -1).mean(1);  // heads averaged: [B, F, S]
    return out(torch::matmul(attn, value));
}

std::tuple<torch::Tensor, LstmState> run_lstm(torch::nn::LSTM& lstm, const torch::Tensor& x,
                                              const std::optional<LstmState>& state) {
    if (torch::GradMode::is_enabled() || x.size(0) != 1 || lstm->options.num_layers() != 1) {
        if (state) return lstm->forward(x, *state);
        return lstm->forward(x);
    }
    auto params = lstm->named_parameters();
    const auto hidden = lstm->options.hidden_size();
    const auto steps = x.size(1);
    // Input projections for every step at once, then the recurrence (lstm_kernel.cpp).
    auto gates_in =
        torch::addmm(params["bias_ih_l0"] + params["bias_hh_l0"], x[0], params["weight_ih_l0"].t())
            .contiguous();
    auto w_hh_t = params["weight_hh_l0"].t().contiguous();  // [H, 4H]
    auto out = torch::empty({1, steps, hidden});
    auto h_t = state ? std::get<0>(*state).reshape({hidden}).clone() : torch::zeros({hidden});
    auto c_t = state ? std::get<1>(*state).reshape({hidden}).clone() : torch::zeros({hidden});
    lstm_recurrence(gates_in.data_ptr<float>(), w_hh_t.data_ptr<float>(), static_cast<std::size_t>(steps),
                    static_cast<std::size_t>(hidden), h_t.data_ptr<float>(), c_t.data_ptr<float>(),
                    out.data_ptr<float>());
    return {out, {h_t.view({1, 1, hidden}), c_t.view({1, 1, hidden})}};
}

LstmNet::LstmNet(std::int64_t past, std::int64_t future, const torch::Tensor& same_time,
                 std::int64_t hidden) {
    encoder =
        register_module("encoder", torch::nn::LSTM(torch::nn::LSTMOptions(past, hidden).batch_first(true)));
    decoder =
        register_module("decoder", torch::nn::LSTM(torch::nn::LSTMOptions(future, hidden).batch_first(true)));
    head = register_module("head", QuantileHead(hidden + future, same_time));
}

torch::Tensor LstmNet::forward(const torch::Tensor& past, const torch::Tensor& future) {
    auto encoded = run_lstm(encoder, past);
    auto decoded = std::get<0>(run_lstm(decoder, future, std::get<1>(encoded)));
    return head(torch::cat({decoded, future}, -1), future);
}

TftNet::TftNet(std::int64_t past, std::int64_t future, const torch::Tensor& same_time, std::int64_t d,
               std::int64_t heads, double dropout) {
    past_select = register_module("past_select", VariableSelection(past, d, dropout));
    future_select = register_module("future_select", VariableSelection(future, d, dropout));
    encoder = register_module("encoder", torch::nn::LSTM(torch::nn::LSTMOptions(d, d).batch_first(true)));
    decoder = register_module("decoder", torch::nn::LSTM(torch::nn::LSTMOptions(d, d).batch_first(true)));
    lstm_gate = register_module("lstm_gate", GateAddNorm(d));
    enrich = register_module("enrich", Grn(d, d, d, 0, dropout));
    attention = register_module("attention", InterpretableAttention(d, heads));
    attention_gate = register_module("attention_gate", GateAddNorm(d));
    position_wise = register_module("position_wise", Grn(d, d, d, 0, dropout));
    output_gate = register_module("output_gate", GateAddNorm(d));
    head = register_module("head", QuantileHead(d, same_time));
}

torch::Tensor TftNet::forward(const torch::Tensor& past, const torch::Tensor& future) {
    const auto history = past.size(1);
    auto past_sel = past_select(past);
    auto future_sel = future_select(future);
    auto encoded = run_lstm(encoder, past_sel);
    auto decoded = std::get<0>(run_lstm(decoder, future_sel, std::get<1>(encoded)));
    auto lstm_out = torch::cat({std::get<0>(encoded), decoded}, 1);
    auto temporal = lstm_gate(lstm_out, torch::cat({past_sel, future_sel}, 1));  // [B, H+F, d]
    auto enriched = enrich(temporal);
    auto attended = attention(enriched, history);
    auto horizon = attention_gate(attended, enriched.narrow(1, history, enriched.size(1) - history));
    auto processed = position_wise(horizon);
    return head(output_gate(processed, temporal.narrow(1, history, temporal.size(1) - history)), future);
}

torch::Tensor pinball_loss(const torch::Tensor& q, const torch::Tensor& y) {
    auto tau = torch::tensor({0.1f, 0.5f, 0.9f}, q.options());
    auto e = y.unsqueeze(-1) - q;
    return torch::max(tau * e, (tau - 1.0f) * e).mean();
}

namespace {

std::shared_ptr<ForecastNet> make_net(const ModelHeader& h) {
    const auto p = static_cast<std::int64_t>(h.layout.past.size());
    const auto f = static_cast<std::int64_t>(h.layout.future.size());
    const std::vector<std::int64_t> columns = same_time_columns(h.layout);
    const auto c = static_cast<std::int64_t>(h.layout.channels());
    const torch::Tensor same_time =
        torch::tensor(columns, torch::kLong).view({c, static_cast<std::int64_t>(columns.size()) / c});
    if (h.hyper.kind == "tft")
        return std::make_shared<TftNet>(p, f, same_time, h.hyper.hidden, h.hyper.heads, h.hyper.dropout);
    return std::make_shared<LstmNet>(p, f, same_time, h.hyper.hidden);
}

}  // namespace

Network::Network(const ModelHeader& header, std::optional<std::uint64_t> seed)
    : impl_(std::make_unique<Impl>()) {
    if (seed) torch::manual_seed(*seed);
    impl_->header = header;
    impl_->net = make_net(header);
    impl_->past = torch::zeros({1, static_cast<std::int64_t>(header.layout.history_steps),
                                static_cast<std::int64_t>(header.layout.past.size())});
    impl_->future = torch::zeros({1, static_cast<std::int64_t>(header.layout.horizon_steps),
                                  static_cast<std::int64_t>(header.layout.future.size())});
}

Network::~Network() = default;
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;

std::string Network::save_weights() const {
    torch::serialize::OutputArchive archive;
    impl_->net->save(archive);
    std::ostringstream os;
    archive.save_to(os);
    return os.str();
}

void Network::load_weights(const std::string& bytes, const std::filesystem::path& file) {
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(bytes.data(), bytes.size());
        impl_->net->load(archive);
    } catch (const std::exception& e) {
        const std::string what = e.what();
        throw ModelFileError(file.string() + ": the weights after the header do not fit its " +
                             impl_->header.hyper.kind + " network (" + what.substr(0, what.find('\n')) + ")");
    }
}

void Network::predict(const float* past, const float* future, float* out) {
    c10::InferenceMode inference;
    impl_->net->eval();
    std::memcpy(impl_->past.data_ptr<float>(), past, impl_->past.numel() * sizeof(float));
    std::memcpy(impl_->future.data_ptr<float>(), future, impl_->future.numel() * sizeof(float));
    const auto q = impl_->net->forward(impl_->past, impl_->future).contiguous();
    std::memcpy(out, q.data_ptr<float>(), q.numel() * sizeof(float));
}

void Network::predict_batch(const float* past, const float* future, std::size_t count, float* out) {
    torch::NoGradGuard no_grad;
    impl_->net->eval();
    const auto n = static_cast<std::int64_t>(count);
    auto p = torch::from_blob(const_cast<float*>(past), {n, impl_->past.size(1), impl_->past.size(2)});
    auto f = torch::from_blob(const_cast<float*>(future), {n, impl_->future.size(1), impl_->future.size(2)});
    const auto q = impl_->net->forward(p, f).contiguous();
    std::memcpy(out, q.data_ptr<float>(), q.numel() * sizeof(float));
}

}  // namespace evtwin::forecast_learned
