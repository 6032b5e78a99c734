// `evtwin forecast train` as a user runs it (evtwin execs evtwin-forecast): a short training on real
// PV data whose model `evtwin forecast eval` loads as a plugin, and bad input.
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace evtwin {
namespace {

using test::run_command;

const std::string kPv = " --data pv/pv_netherlands_2019_hourly.csv";

std::string train(const std::string& options) {
    return test::evtwin_binary().string() + " forecast train " + options;
}

TEST(ForecastTrainCommand, TrainsAModelThatEvalLoadsAsAPlugin) {
    const auto dir = test::temp_dir("forecast-train");
    const auto model = dir / "pv.pt";
    auto r = run_command(train("--target pv --model lstm" + kPv +
                               " --train-until 2019-03-01 --epochs 2 --hidden 8 " + "--history-h 48 --out " +
                               model.string()));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("trained lstm for pv: 2 epochs"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("epoch   2/2"), std::string::npos) << r.output;  // plain lines off a terminal
    ASSERT_TRUE(std::filesystem::exists(model));

    r = run_command(test::evtwin_binary().string() + " forecast eval --target pv" + kPv +
                    " --from 2019-03-01 --to 2019-03-08 --db " + (dir / "eval.db").string() +
                    " --model lstm:" + model.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("\nlstm:" + model.string()), std::string::npos) << r.output;

    // The same file for another target is refused by the plugin.
    r = run_command(test::evtwin_binary().string() +
                    " forecast eval --target demand --data sessions/acn_jpl_2019-05-01_2019-08-31.csv.gz"
                    " --from 2019-06-01 --to 2019-06-08 --model lstm:" +
                    model.string());
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(model.string() + " is a pv model; this asks for demand"), std::string::npos)
        << r.output;

    // Fine-tuning needs the same layout.
    r = run_command(train("--target pv --model lstm" + kPv +
                          " --train-until 2019-03-01 --epochs 1 --history-h 72 " + "--init " +
                          model.string() + " --out " + (dir / "tuned.pt").string()));
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find("--init: history of 48 steps in " + model.string() + ", 72 asked"),
              std::string::npos)
        << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "tuned.pt"));
}

TEST(ForecastTrainCommand, BadInputSaysWhatIsWrong) {
    const auto out = " --out " + (test::temp_dir("forecast-train-bad") / "m.pt").string();
    auto r = run_command(train("--target wind --model lstm" + kPv + out));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--target pv, --target demand or --target load is required, got 'wind'"),
              std::string::npos)
        << r.output;

    r = run_command(train("--target pv --model gru" + kPv + out));
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--model lstm or --model tft is required, got 'gru'"), std::string::npos)
        << r.output;

    r = run_command(train("--target pv --model tft --data pv/missing.csv" + out));
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find("pv/missing.csv"), std::string::npos) << r.output;

    r = run_command(train("--target pv --model tft" + kPv + " --train-until 2019-01-08" + out));
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find(
                  "168 steps of data to train on, too short for a history of 168 steps and a horizon of 24"),
              std::string::npos)
        << r.output;

    r = run_command(train("--target pv --model tft" + kPv + " --epochs 0" + out));
    EXPECT_EQ(r.exit_code, 2) << r.output;
}

}  // namespace
}  // namespace evtwin
