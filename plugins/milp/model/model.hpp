#pragma once
// A small model-building layer for linear and mixed-integer programs, shared by the optimisation
// strategies: variables with bounds and types, linear expressions, constraints and a minimised
// objective. The model is plain data; solver.hpp solves it (with COIN-OR CBC or CLP, which no
// header of this layer includes).
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace evtwin::milp {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

enum class VarType : std::uint8_t { continuous, integer, binary };
enum class Sense : std::uint8_t { le, ge, eq };

// A handle to a variable of one model: its column index.
struct Var {
    std::uint32_t index = 0;
};

// sum(coefficient · variable) + constant. Terms may repeat a variable; the model merges them.
class LinExpr {
public:
    LinExpr() = default;
    LinExpr(double constant) : constant_(constant) {}      // NOLINT: implicit on purpose, as in algebra
    LinExpr(Var v) { terms_.emplace_back(v.index, 1.0); }  // NOLINT

    LinExpr& add(Var v, double coefficient) {
        terms_.emplace_back(v.index, coefficient);
        return *this;
    }
    LinExpr& add(double constant) {
        constant_ += constant;
        return *this;
    }
    LinExpr& operator+=(const LinExpr& other) {
        terms_.insert(terms_.end(), other.terms_.begin(), other.terms_.end());
        constant_ += other.constant_;
        return *this;
    }
    LinExpr& operator-=(const LinExpr& other) {
        for (const auto& [v, a] : other.terms_) terms_.emplace_back(v, -a);
        constant_ -= other.constant_;
        return *this;
    }
    LinExpr& operator*=(double k) {
        for (auto& t : terms_) t.second *= k;
        constant_ *= k;
        return *this;
    }

    const std::vector<std::pair<std::uint32_t, double>>& terms() const { return terms_; }
    double constant() const { return constant_; }

private:
    std::vector<std::pair<std::uint32_t, double>> terms_;
    double constant_ = 0.0;
};

inline LinExpr operator+(LinExpr a, const LinExpr& b) {
    return a += b;
}
inline LinExpr operator-(LinExpr a, const LinExpr& b) {
    return a -= b;
}
inline LinExpr operator-(LinExpr a) {
    return a *= -1.0;
}
inline LinExpr operator*(LinExpr a, double k) {
    return a *= k;
}
inline LinExpr operator*(double k, LinExpr a) {
    return a *= k;
}

// A constraint in solver form: lower <= sum(coefficient · variable) <= upper, terms merged by
// variable, sorted, without zeros.
struct Row {
    std::vector<std::pair<std::uint32_t, double>> terms;
    double lower = -kInf;
    double upper = kInf;
    std::string name;
};

struct Column {
    double lower = 0.0;
    double upper = kInf;
    VarType type = VarType::continuous;
    std::string name;
};

// Handle to a constraint: its row index.
struct RowRef {
    std::uint32_t index = 0;
};

class Model {
public:
    // Throws std::invalid_argument for lower > upper or a NaN bound. A binary gets bounds [0, 1]
    // intersected with the given ones.
    Var add_var(double lower, double upper, VarType type = VarType::continuous, std::string name = {});
    Var add_continuous(double lower, double upper, std::string name = {}) {
        return add_var(lower, upper, VarType::continuous, std::move(name));
    }
    Var add_integer(double lower, double upper, std::string name = {}) {
        return add_var(lower, upper, VarType::integer, std::move(name));
    }
    Var add_binary(std::string name = {}) { return add_var(0.0, 1.0, VarType::binary, std::move(name)); }

    // lhs (sense) rhs. The expression's constant moves to the right-hand side. Throws
    // std::invalid_argument, naming the constraint, for a NaN or infinite coefficient, a NaN
    // right-hand side or a variable not of this model.
    RowRef add_constraint(const LinExpr& lhs, Sense sense, double rhs, std::string name = {});
    RowRef add_le(const LinExpr& lhs, double rhs, std::string name = {}) {
        return add_constraint(lhs, Sense::le, rhs, std::move(name));
    }
    RowRef add_ge(const LinExpr& lhs, double rhs, std::string name = {}) {
        return add_constraint(lhs, Sense::ge, rhs, std::move(name));
    }
    RowRef add_eq(const LinExpr& lhs, double rhs, std::string name = {}) {
        return add_constraint(lhs, Sense::eq, rhs, std::move(name));
    }

    // Replaces the objective; it is always minimised (negate it to maximise).
    void minimise(const LinExpr& objective);

    std::size_t num_vars() const { return columns_.size(); }
    std::size_t num_constraints() const { return rows_.size(); }
    bool has_integers() const;

    const std::vector<Column>& columns() const { return columns_; }
    const std::vector<Row>& rows() const { return rows_; }
    // Objective coefficient per column, and its constant.
    const std::vector<double>& objective() const { return objective_; }
    double objective_constant() const { return objective_constant_; }

    // Changes a variable's bounds (for example to fix it); same checks as add_var.
    void set_bounds(Var v, double lower, double upper);

private:
    std::vector<std::pair<std::uint32_t, double>> merged(const LinExpr& e, const std::string& what) const;

    std::vector<Column> columns_;
    std::vector<Row> rows_;
    std::vector<double> objective_;
    double objective_constant_ = 0.0;
};

}  // namespace evtwin::milp
