#include "ocpp/import.hpp"

#include <evtwin/errors.hpp>

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <map>

namespace evtwin::ocpp {
namespace {

std::map<std::string, std::size_t> kinds(const Import& im) {
    std::map<std::string, std::size_t> k;
    for (const Problem& p : im.log.problems) ++k[p.kind];
    return k;
}

double energy(const Import& im) {
    double e = 0;
    for (const Transaction& t : im.site.transactions) e += t.energy_kwh.value_or(0.0);
    return e;
}

// Expected numbers computed once with python3 from ../shared/data/ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv:
//   rows = list(csv.DictReader(open(f))); fr = [json.loads(r['msg']) for r in rows]
//   len(fr) -> 17670; calls (type 2) -> 8955; results (type 3) -> 8715
//   transactions: StartTransaction CALLs answered with a transactionId, closed by StopTransaction -> 39
//   sum((stop['meterStop'] - start['meterStart']) / 1000) -> 62.4 kWh
//   CALLs reusing a (cs, message id) seen before -> 500 (400 StatusNotification, 100 Authorize)
//   CALLs never answered (pending per (cs, id), replaced or left at the end) -> 240
//   sampled values in MeterValues and StopTransaction.transactionData -> 702
//   StatusNotification -> 523, of which Faulted / ConnectorLockFailure -> 102
TEST(OcppImport, Kwwhat14DaysCsv) {
    const Import im = import_log(test::data_file("ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv"));
    EXPECT_EQ(im.log.format, Format::csv);
    EXPECT_EQ(im.log.ocpp_version, "1.6");
    EXPECT_EQ(im.log.frames.size(), 17670u);
    EXPECT_EQ(im.site.matched_responses, 8715u);
    ASSERT_EQ(im.site.transactions.size(), 39u);
    for (const Transaction& t : im.site.transactions) {
        EXPECT_TRUE(t.stop_ms && t.energy_kwh) << t.id;
        EXPECT_GE(*t.stop_ms, t.start_ms);
        EXPECT_GE(*t.energy_kwh, 0.0);
    }
    EXPECT_NEAR(energy(im), 62.4, 1e-9);
    EXPECT_EQ(im.site.meter_values.size(), 702u);
    EXPECT_EQ(im.site.status_changes.size(), 523u);
    EXPECT_EQ(im.site.faults, 102u);
    const auto k = kinds(im);
    EXPECT_EQ(k.size(), 2u);
    EXPECT_EQ(k.at("duplicate_message_id"), 500u);
    EXPECT_EQ(k.at("unanswered_call"), 240u);
    for (const Frame& f : im.log.frames) EXPECT_NE(f.dir, Direction::unknown) << f.line;
}

// ../shared/data/ocpp/logs/idaho_ocpp201_real_tc_e_44.log, python3:
//   fr = [json.loads(m.group(1)) for l in open(f) for m in [re.match(r'\[[^\]]*\] \[msg-(?:in|out)\] (.*)', l)] if m]
//   len(fr) -> 30, CALLs -> 15; TransactionEvent eventTypes -> Started, Updated, Updated, Ended, no meterValue
TEST(OcppImport, Idaho201ComplianceLog) {
    const Import im = import_log(test::data_file("ocpp/logs/idaho_ocpp201_real_tc_e_44.log"));
    EXPECT_EQ(im.log.format, Format::compliance);
    EXPECT_EQ(im.log.ocpp_version, "2.0.1");
    EXPECT_EQ(im.log.frames.size(), 30u);
    EXPECT_EQ(im.site.matched_responses, 15u);
    EXPECT_TRUE(im.log.problems.empty()) << im.log.problems[0].line << " " << im.log.problems[0].message;
    ASSERT_EQ(im.site.transactions.size(), 1u);
    const Transaction& t = im.site.transactions[0];
    EXPECT_EQ(t.id, "e80fb8b1-3fa4-4146-aa10-9dfbc72dfa36");
    EXPECT_EQ(t.connector, 1);
    EXPECT_EQ(t.id_tag, "VALID");
    EXPECT_EQ(t.stop_reason, "Local");
    EXPECT_EQ(*t.stop_ms - t.start_ms, 61000);  // 09:20:44Z to 09:21:45Z
    EXPECT_FALSE(t.energy_kwh);                 // the log reports no meter values
    ASSERT_EQ(im.site.status_changes.size(), 1u);
    EXPECT_EQ(im.site.status_changes[0].status, "Occupied");
}

TEST(OcppImport, RotatedLogsCompressedAndConcatenated) {
    // logrotate's compressed pieces, joined with cat: one gzip stream of two members.
    const auto dir = test::temp_dir("ocpp_gzip");
    const auto log = test::data_file("ocpp/logs/idaho_ocpp201_real_tc_e_44.log");
    const auto split =
        test::run_command("cd " + dir.string() + " && split -n l/2 -d " + log.string() +
                          " part && gzip -f part00 part01 && cat part00.gz part01.gz > all.log.gz");
    ASSERT_EQ(split.exit_code, 0) << split.output;
    const Import plain = import_log(log);
    const Import packed = import_log(dir / "all.log.gz");
    EXPECT_EQ(packed.log.format, Format::compliance);
    ASSERT_EQ(packed.log.frames.size(), plain.log.frames.size());
    for (std::size_t i = 0; i < plain.log.frames.size(); ++i) {
        EXPECT_EQ(packed.log.frames[i].ts_ms, plain.log.frames[i].ts_ms);
        EXPECT_EQ(packed.log.frames[i].payload, plain.log.frames[i].payload);
    }
    ASSERT_EQ(packed.site.transactions.size(), 1u);
    EXPECT_EQ(packed.site.transactions[0].id, plain.site.transactions[0].id);
    const auto broken = test::write_file(dir / "broken.log.gz", std::string("\x1f\x8b\x08\x00garbage", 12));
    EXPECT_THROW(import_log(broken), DataError);
}

TEST(OcppImport, StoresIntoAResultsDatabaseAndCountsMatch) {
    const auto dir = test::temp_dir("ocpp_store");
    const Import im = import_log(test::data_file("ocpp/logs/idaho_ocpp201_real_tc_e_44.log"));
    sqlite::Db db(dir / "out.db", sqlite::Db::Mode::read_write_create);
    EXPECT_EQ(store(db, im), 1);
    EXPECT_EQ(store(db, im), 2);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_frames WHERE import_id = 2"), 30);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_frames WHERE direction = 'unknown'"), 0);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_transactions WHERE stop_ms - start_ms = 61000"), 2);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_status"), 2);
    EXPECT_EQ(db.query_int("SELECT value FROM meta WHERE key = 'ocpp_schema_version'"), kSchemaVersion);
}

// A database written before export registers were read (version 3) gains their columns.
TEST(OcppImport, AVersion3DatabaseGainsTheExportColumns) {
    const auto dir = test::temp_dir("ocpp_v3");
    {
        sqlite::Db db(dir / "old.db", sqlite::Db::Mode::read_write_create);
        create_or_check_schema(db);
        db.exec(
            "ALTER TABLE ocpp_transactions DROP COLUMN exported_kwh;"
            "ALTER TABLE ocpp_transactions DROP COLUMN export_stop_wh;"
            "ALTER TABLE ocpp_transactions DROP COLUMN export_start_wh;"
            "UPDATE meta SET value = '3' WHERE key = 'ocpp_schema_version'");
    }
    sqlite::Db db(dir / "old.db", sqlite::Db::Mode::read_write_create);
    const Import im = import_log(test::data_file("ocpp/logs/idaho_ocpp201_real_tc_e_44.log"));
    EXPECT_EQ(store(db, im), 1);
    EXPECT_EQ(db.query_int("SELECT value FROM meta WHERE key = 'ocpp_schema_version'"), kSchemaVersion);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_transactions WHERE exported_kwh IS NULL"), 1);
}

TEST(OcppImport, CliOnTheCsvLog) {
    const auto dir = test::temp_dir("ocpp_cli");
    const auto log = test::data_file("ocpp/logs/kwwhat_ocpp16_synthetic_14d.csv");
    const auto r = test::run_command(test::evtwin_binary().string() + " ocpp import " + log.string() +
                                     " --db " + (dir / "o.db").string() + " 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("csv log, OCPP 1.6, 17670 frames"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("transactions: 39 (0 without stop), energy 62.400 kWh"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("duplicate_message_id         500"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(": 17670 frames checked, 0 invalid, 0 without a schema"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("StatusNotification (result)"), std::string::npos) << r.output;
    sqlite::Db db(dir / "o.db", sqlite::Db::Mode::read_only);
    EXPECT_EQ(db.query_int("SELECT count(*) FROM ocpp_frames"), 17670);
    EXPECT_EQ(db.query_int("SELECT round(sum(energy_kwh) * 1000) FROM ocpp_transactions"), 62400);

    const auto bad = test::run_command(test::evtwin_binary().string() + " ocpp import " +
                                       test::write_file(dir / "x.txt", "hello\n").string() + " 2>&1");
    EXPECT_EQ(bad.exit_code, 3) << bad.output;
    EXPECT_NE(bad.output.find("x.txt: not a recognised OCPP log"), std::string::npos) << bad.output;
    EXPECT_EQ(test::run_command(test::evtwin_binary().string() + " ocpp import " + log.string() +
                                " --format xml 2>&1")
                  .exit_code,
              2);
    for (const char* count : {"5x", "-1"}) {
        const auto problems = test::run_command(test::evtwin_binary().string() + " ocpp import " +
                                                log.string() + " --problems " + count + " 2>&1");
        EXPECT_EQ(problems.exit_code, 2) << problems.output;
        EXPECT_NE(
            problems.output.find(std::string("--problems expects a whole number from 0 to 1000000, got '") +
                                 count + "'"),
            std::string::npos)
            << problems.output;
    }
    for (const char* option : {"--timezone Mars/Base", "--year 1900", "--year 2026x"}) {
        const auto refused = test::run_command(test::evtwin_binary().string() + " ocpp import " +
                                               log.string() + " " + option + " 2>&1");
        EXPECT_EQ(refused.exit_code, 2) << option << ": " << refused.output;
    }
    EXPECT_EQ(test::run_command(test::evtwin_binary().string() + " ocpp --help").exit_code, 0);
    const auto skip = test::run_command(test::evtwin_binary().string() + " ocpp import " + log.string() +
                                        " --no-validate 2>&1");
    EXPECT_EQ(skip.exit_code, 0) << skip.output;
    EXPECT_EQ(skip.output.find("schema validation"), std::string::npos) << skip.output;
    EXPECT_EQ(test::run_command(test::evtwin_binary().string() + " ocpp import " + log.string() +
                                " --schemas " + (dir / "none").string() + " 2>&1")
                  .exit_code,
              2);
}

}  // namespace
}  // namespace evtwin::ocpp
