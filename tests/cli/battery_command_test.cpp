// `evtwin battery fit` as a user runs it: the fit table on the NASA cells, and bad input.
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace evtwin {
namespace {

using test::run_command;

std::string data_dir() {
    return test::data_file("battery").string();
}

TEST(BatteryCommand, FitsEveryNasaCell) {
    const auto r = run_command(test::evtwin_command() + " battery fit --data " + data_dir());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("rmse_kept_pct"), std::string::npos) << r.output;
    for (const std::string cell : {"B0005", "B0006", "B0007", "B0018"}) {
        const auto at = r.output.find("\n" + cell + " ");
        ASSERT_NE(at, std::string::npos) << cell << "\n" << r.output;
        std::istringstream row(r.output.substr(at + 1));
        std::string name;
        std::size_t points = 0, excluded = 0;
        double c0 = 0, b = 0, p = 0, rmse_all = 0, rmse_kept = 0;
        row >> name >> points >> excluded >> c0 >> b >> p >> rmse_all >> rmse_kept;
        EXPECT_GT(points, 100u) << cell;
        EXPECT_LT(excluded, points / 3) << cell;
        EXPECT_GT(rmse_kept, 0.0) << cell;
        EXPECT_LT(rmse_kept, 2.0) << cell;
    }
}

TEST(BatteryCommand, ChoosesCellsAndChemistry) {
    const auto r = run_command(test::evtwin_command() + " battery fit --data " + data_dir() +
                               " --cell B0006 --cell=B0018 --chemistry lfp");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("(q5 * EFC)^q6"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("\nB0006 "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("\nB0018 "), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("\nB0005 "), std::string::npos) << r.output;
}

TEST(BatteryCommand, HelpAndUsageErrors) {
    const auto help = run_command(test::evtwin_command() + " battery --help");
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_NE(help.output.find("usage: evtwin battery fit"), std::string::npos) << help.output;
    EXPECT_EQ(run_command(test::evtwin_command() + " battery fit --help").exit_code, 0);
    EXPECT_EQ(run_command(test::evtwin_command() + " battery").exit_code, 2);

    const auto sub = run_command(test::evtwin_command() + " battery frobnicate");
    EXPECT_EQ(sub.exit_code, 2);
    EXPECT_NE(sub.output.find("unknown battery subcommand 'frobnicate'"), std::string::npos) << sub.output;

    const auto chem =
        run_command(test::evtwin_command() + " battery fit --data " + data_dir() + " --chemistry nca");
    EXPECT_EQ(chem.exit_code, 2);
    EXPECT_NE(chem.output.find("unknown battery chemistry 'nca' (expected nmc or lfp)"), std::string::npos)
        << chem.output;

    const auto cell =
        run_command(test::evtwin_command() + " battery fit --data " + data_dir() + " --cell B0042");
    EXPECT_EQ(cell.exit_code, 3);
    EXPECT_NE(cell.output.find("no cell 'B0042'"), std::string::npos) << cell.output;
}

TEST(BatteryCommand, MalformedRowIsReportedWithFileAndLine) {
    const auto dir = test::temp_dir("battery-fit-bad");
    const auto file = test::write_file(dir / "nasa_B0005.csv",
                                       "discharge,voltage,temperature,time,capacity,soh\n"
                                       "1,3.2,38,3690,1.85,100\n"
                                       "2,3.3,39,3672,1.84,99\n"
                                       "3,3.3,39,3650,n/a,98\n");
    const auto r = run_command(test::evtwin_command() + " battery fit --data " + dir.string());
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find(file.string() + ":4: expected a number in column 'capacity', got 'n/a'"),
              std::string::npos)
        << r.output;

    const auto missing =
        run_command(test::evtwin_command() + " battery fit --data " + (dir / "nowhere").string());
    EXPECT_EQ(missing.exit_code, 3);
    EXPECT_NE(missing.output.find("no battery data folder"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace evtwin
