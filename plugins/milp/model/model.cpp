#include "plugins/milp/model/model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace evtwin::milp {
namespace {

std::string describe(const std::string& name, const char* kind, std::size_t index) {
    return name.empty() ? std::string(kind) + " #" + std::to_string(index)
                        : std::string(kind) + " '" + name + "'";
}

void check_bounds(double lower, double upper, const std::string& what) {
    if (std::isnan(lower) || std::isnan(upper)) throw std::invalid_argument(what + ": bound is NaN");
    if (lower > upper)
        throw std::invalid_argument(what + ": lower bound " + std::to_string(lower) +
                                    " exceeds upper bound " + std::to_string(upper));
    if (lower == kInf || upper == -kInf) throw std::invalid_argument(what + ": bounds leave no finite value");
}

}  // namespace

Var Model::add_var(double lower, double upper, VarType type, std::string name) {
    if (type == VarType::binary) {
        lower = std::max(lower, 0.0);
        upper = std::min(upper, 1.0);
    }
    if (type != VarType::continuous) {
        // An integer variable's bounds are the integers inside them.
        if (std::isfinite(lower)) lower = std::ceil(lower - 1e-9);
        if (std::isfinite(upper)) upper = std::floor(upper + 1e-9);
    }
    check_bounds(lower, upper, describe(name, "variable", columns_.size()));
    columns_.push_back({lower, upper, type, std::move(name)});
    objective_.push_back(0.0);
    return Var{static_cast<std::uint32_t>(columns_.size() - 1)};
}

void Model::set_bounds(Var v, double lower, double upper) {
    if (v.index >= columns_.size()) throw std::invalid_argument("set_bounds: variable not of this model");
    Column& c = columns_[v.index];
    check_bounds(lower, upper, describe(c.name, "variable", v.index));
    c.lower = lower;
    c.upper = upper;
}

std::vector<std::pair<std::uint32_t, double>> Model::merged(const LinExpr& e, const std::string& what) const {
    std::vector<std::pair<std::uint32_t, double>> terms = e.terms();
    for (const auto& [v, a] : terms) {
        if (v >= columns_.size())
            throw std::invalid_argument(what + ": variable #" + std::to_string(v) + " is not of this model");
        if (!std::isfinite(a))
            throw std::invalid_argument(what + ": coefficient of " +
                                        describe(columns_[v].name, "variable", v) + " is not finite");
    }
    std::sort(terms.begin(), terms.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::pair<std::uint32_t, double>> out;
    out.reserve(terms.size());
    for (const auto& t : terms) {
        if (!out.empty() && out.back().first == t.first)
            out.back().second += t.second;
        else
            out.push_back(t);
    }
    std::erase_if(out, [](const auto& t) { return t.second == 0.0; });
    return out;
}

RowRef Model::add_constraint(const LinExpr& lhs, Sense sense, double rhs, std::string name) {
    const std::string what = describe(name, "constraint", rows_.size());
    if (std::isnan(rhs) || !std::isfinite(lhs.constant()))
        throw std::invalid_argument(what + ": right-hand side is not a number");
    Row row;
    row.terms = merged(lhs, what);
    const double b = rhs - lhs.constant();
    if (sense != Sense::ge) row.upper = b;
    if (sense != Sense::le) row.lower = b;
    if (sense == Sense::eq && !std::isfinite(b))
        throw std::invalid_argument(what + ": equality with an infinite right-hand side");
    row.name = std::move(name);
    rows_.push_back(std::move(row));
    return RowRef{static_cast<std::uint32_t>(rows_.size() - 1)};
}

void Model::minimise(const LinExpr& objective) {
    if (!std::isfinite(objective.constant()))
        throw std::invalid_argument("objective: constant is not finite");
    std::fill(objective_.begin(), objective_.end(), 0.0);
    for (const auto& [v, a] : merged(objective, "objective")) objective_[v] = a;
    objective_constant_ = objective.constant();
}

bool Model::has_integers() const {
    return std::any_of(columns_.begin(), columns_.end(),
                       [](const Column& c) { return c.type != VarType::continuous; });
}

}  // namespace evtwin::milp
