// `evtwin ocpi export` and `evtwin ocpi validate`: a run replayed from the shared 14-day OCPP 1.6
// log exported as OCPI, and its CDRs run again on the same site.
#include "ocpi/format/read.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace evtwin::ocpi {
namespace {

using test::run_command;

std::string evtwin() {
    return test::evtwin_binary().string();
}

std::string kwwhat_site() {
    return test::source_file("scenarios/ocpp_kwwhat_site.lua").string();
}

TEST(CliOcpi, ExportsARunImportedFromAnOcppLogAndValidatesItsCdrs) {
    const auto dir = test::temp_dir("cli-ocpi-export");
    const auto db = dir / "replay.db";
    auto r = run_command(evtwin() + " ocpp validate " +
                         test::data_file("ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv").string() +
                         " --scenario " + kwwhat_site() + " --db " + db.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    r = run_command(evtwin() + " ocpi export " + db.string() + " --out " + (dir / "ocpi").string() +
                    " --country-code NL --party-id KWW --country NLD --vat 21");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("39 sessions, 39 CDRs"), std::string::npos) << r.output;
    const auto cdrs = read_cdrs(dir / "ocpi" / "cdrs.json");
    ASSERT_EQ(cdrs.size(), 39u);
    EXPECT_EQ(cdrs[0].country_code, "NL");
    EXPECT_TRUE(cdrs[0].total_cost.incl_vat);
    double kwh = 0;
    for (const Cdr& c : cdrs) kwh += c.total_energy;
    EXPECT_NEAR(kwh, 62.4, 1e-3);  // the log's energy, as ocpp validate's twin replayed it
    EXPECT_EQ(read_locations(dir / "ocpi" / "locations.json").size(), 1u);

    r = run_command(evtwin() + " ocpi validate " + (dir / "ocpi" / "cdrs.json").string() + " --scenario " +
                    kwwhat_site() + " --tariff " + (dir / "ocpi" / "tariffs.json").string() +
                    " --max-energy-error-pct 0.01 --db " + (dir / "again.db").string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("39 sessions run on the twin under uncontrolled"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("0 of 39 sessions outside the thresholds"), std::string::npos) << r.output;
}

TEST(CliOcpi, BadInputNamesTheFileTheObjectAndTheField) {
    const auto dir = test::temp_dir("cli-ocpi-bad");
    const auto broken = test::write_file(dir / "broken.json", R"([{"country_code": "NL"}])");
    auto r = run_command(evtwin() + " ocpi validate " + broken.string() + " --scenario " + kwwhat_site());
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find("broken.json: CDR 0: party_id: required field missing"), std::string::npos)
        << r.output;

    r = run_command(evtwin() + " ocpi export " + (dir / "none.db").string() + " --out " +
                    (dir / "o").string());
    EXPECT_EQ(r.exit_code, 3) << r.output;
    r = run_command(evtwin() + " ocpi export");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    r = run_command(evtwin() + " ocpi frobnicate");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("unknown ocpi subcommand 'frobnicate'"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace evtwin::ocpi
