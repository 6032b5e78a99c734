// The model-building layer: bounds, merging of terms, constraint senses and input checks.
#include "plugins/milp/model/model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace evtwin::milp {
namespace {

TEST(MilpModel, MergesRepeatedTermsDropsZerosAndMovesTheConstant) {
    Model m;
    const Var x = m.add_continuous(0, 10, "x");
    const Var y = m.add_continuous(0, 10, "y");
    // 2x + y - x - y + 3 <= 7  ->  x <= 4
    const RowRef r = m.add_le(2.0 * LinExpr(x) + y - x - y + 3.0, 7.0, "c");
    const Row& row = m.rows()[r.index];
    ASSERT_EQ(row.terms.size(), 1u);
    EXPECT_EQ(row.terms[0].first, x.index);
    EXPECT_DOUBLE_EQ(row.terms[0].second, 1.0);
    EXPECT_DOUBLE_EQ(row.upper, 4.0);
    EXPECT_EQ(row.lower, -kInf);
}

TEST(MilpModel, SensesSetTheRightSides) {
    Model m;
    const Var x = m.add_continuous(-kInf, kInf);
    const Row& ge = m.rows()[m.add_ge(LinExpr(x), 2.0).index];
    EXPECT_DOUBLE_EQ(ge.lower, 2.0);
    EXPECT_EQ(ge.upper, kInf);
    const Row& eq = m.rows()[m.add_eq(LinExpr(x) - 1.0, 2.0).index];
    EXPECT_DOUBLE_EQ(eq.lower, 3.0);
    EXPECT_DOUBLE_EQ(eq.upper, 3.0);
}

TEST(MilpModel, BinaryAndIntegerBoundsAreIntegral) {
    Model m;
    const Var b = m.add_var(-5, 5, VarType::binary);
    const Var i = m.add_integer(0.5, 3.7);
    EXPECT_DOUBLE_EQ(m.columns()[b.index].lower, 0.0);
    EXPECT_DOUBLE_EQ(m.columns()[b.index].upper, 1.0);
    EXPECT_DOUBLE_EQ(m.columns()[i.index].lower, 1.0);
    EXPECT_DOUBLE_EQ(m.columns()[i.index].upper, 3.0);
    EXPECT_TRUE(m.has_integers());
}

TEST(MilpModel, ObjectiveIsReplacedAndMerged) {
    Model m;
    const Var x = m.add_continuous(0, 1);
    const Var y = m.add_continuous(0, 1);
    m.minimise(LinExpr(x) * 3.0 + 1.0);
    m.minimise(LinExpr(y) + y + 5.0);
    EXPECT_DOUBLE_EQ(m.objective()[x.index], 0.0);
    EXPECT_DOUBLE_EQ(m.objective()[y.index], 2.0);
    EXPECT_DOUBLE_EQ(m.objective_constant(), 5.0);
}

TEST(MilpModel, BadInputThrowsNamingWhatIsWrong) {
    Model m;
    EXPECT_THROW(m.add_continuous(2, 1, "p"), std::invalid_argument);
    EXPECT_THROW(m.add_continuous(NAN, 1), std::invalid_argument);
    EXPECT_THROW(m.add_integer(0.2, 0.8), std::invalid_argument);  // no integer inside
    const Var x = m.add_continuous(0, 1, "x");
    try {
        m.add_le(LinExpr().add(x, NAN), 1.0, "limit");
        FAIL() << "a NaN coefficient was accepted";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("constraint 'limit'"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("variable 'x'"), std::string::npos) << e.what();
    }
    EXPECT_THROW(m.add_le(LinExpr(Var{7}), 1.0), std::invalid_argument);  // not of this model
    EXPECT_THROW(m.add_eq(LinExpr(x), kInf), std::invalid_argument);
    EXPECT_THROW(m.add_le(LinExpr(x), NAN), std::invalid_argument);
    EXPECT_THROW(m.set_bounds(x, 1, 0), std::invalid_argument);
    EXPECT_EQ(m.num_constraints(), 0u);  // nothing half-added
}

}  // namespace
}  // namespace evtwin::milp
