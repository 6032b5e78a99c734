// The comma-separated values of command-line options (--kpis, --strategies, --model, ...).
#include <evtwin/util/args.hpp>

#include <gtest/gtest.h>

namespace evtwin::cli {
namespace {

using Items = std::vector<std::string>;

TEST(CommaList, GivesTheItemsInOrderTrimmed) {
    EXPECT_EQ(comma_list("edf", "--strategies"), Items{"edf"});
    EXPECT_EQ(comma_list("edf, llf ,mpc", "--strategies"), (Items{"edf", "llf", "mpc"}));
}

TEST(CommaList, RefusesAnEmptyItemNamingTheOption) {
    for (const char* text : {"", ",", "edf,", ",edf", "edf,,llf", "edf, ,llf"}) {
        try {
            comma_list(text, "--kpis");
            ADD_FAILURE() << "accepted '" << text << "'";
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find("--kpis"), std::string::npos) << e.what();
        }
    }
}

TEST(CommaList, RefusesAnItemGivenTwice) {
    EXPECT_THROW(comma_list("edf,llf,edf", "--strategies"), UsageError);
}

}  // namespace
}  // namespace evtwin::cli
