#include "data/csv.hpp"

#include "support/test_support.hpp"
#include "util/rng.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace evtwin {
namespace {

using test::error_of;
using test::write_file;

// The folder of this suite's files.
const std::filesystem::path& csv_dir() {
    static const auto d = test::temp_dir("csv");
    return d;
}

TEST(Csv, ReadsQuotedFieldsBomAndCrlf) {
    const auto path = write_file(csv_dir() / "basic.csv",
                                 "\xEF\xBB\xBF\"Arrival time\",private,\"a \"\"b\"\", c\"\r\n"
                                 "\"00:00\",1.5,\"x,y\"\r\n"
                                 "\"00:15\",2,\"multi\nline\"\r\n"
                                 "\r\n\r\n");
    const auto t = CsvTable::read(path);
    ASSERT_EQ(t.header().size(), 3u);
    EXPECT_EQ(t.header()[0], "Arrival time");
    EXPECT_EQ(t.header()[2], "a \"b\", c");
    ASSERT_EQ(t.rows(), 2u);
    EXPECT_EQ(t.text(0, 0), "00:00");
    EXPECT_EQ(t.text(0, 2), "x,y");
    EXPECT_EQ(t.text(1, 2), "multi\nline");
    EXPECT_DOUBLE_EQ(t.number(0, t.column("private")), 1.5);
    EXPECT_DOUBLE_EQ(t.number(1, 1), 2.0);
    EXPECT_EQ(t.line(0), 2u);
    EXPECT_EQ(t.line(1), 3u);
}

TEST(Csv, DelimiterDecimalCommaAndSkipLines) {
    const auto path = write_file(csv_dir() / "norway.csv",
                                 "free text, with \"odd\" quotes\n"
                                 "more text\n"
                                 "id;El_kWh;note\n"
                                 "1;3,5;a,b\n"
                                 "\n"
                                 "2;-0,25;\n"
                                 "3;+7;\n");
    CsvOptions options;
    options.delimiter = ';';
    options.decimal_comma = true;
    options.skip_lines = 2;
    const auto t = CsvTable::read(path, options);
    ASSERT_EQ(t.rows(), 3u);
    EXPECT_DOUBLE_EQ(t.number(0, 1), 3.5);
    EXPECT_DOUBLE_EQ(t.number(1, 1), -0.25);
    EXPECT_DOUBLE_EQ(t.number(2, 1), 7.0);
    EXPECT_EQ(t.text(0, 2), "a,b");
    EXPECT_EQ(t.text(1, 2), "");
    EXPECT_EQ(t.line(1), 6u);  // the blank line 5 is skipped, numbering continues
    EXPECT_EQ(t.header_line(), 3u);
}

TEST(Csv, HeaderLineCountsBlankLinesBeforeIt) {
    EXPECT_EQ(CsvTable::read(write_file(csv_dir() / "plain.csv", "a,b\n1,2\n")).header_line(), 1u);
    EXPECT_EQ(CsvTable::read(write_file(csv_dir() / "blank_first.csv", "\n\r\na,b\n1,2\n")).header_line(),
              3u);
}

TEST(Csv, ShortRowsArePaddedLongRowsRejectedWhenRead) {
    const auto ok = CsvTable::read(write_file(csv_dir() / "short.csv", "a,b,c\n1\n"));
    EXPECT_EQ(ok.text(0, 2), "");
    const auto long_rows = CsvTable::read(write_file(csv_dir() / "long.csv", "a,b\n1,2\n1,2,3\n"));
    EXPECT_EQ(long_rows.text(0, 1), "2");
    const auto msg = error_of<DataError>([&] { long_rows.number(1, 0); });
    EXPECT_NE(msg.find("long.csv:3: expected at most 2 fields (as in the header), got 3"), std::string::npos)
        << msg;
    // A file of another kind is refused for its header before any of its rows.
    const auto other = error_of<DataError>([&] { long_rows.column("price"); });
    EXPECT_NE(other.find("long.csv: no column 'price'; the columns are 'a', 'b'"), std::string::npos)
        << other;
}

TEST(Csv, ErrorsNameFileLineColumnAndText) {
    const auto t = CsvTable::read(
        write_file(csv_dir() / "prices.csv", "date,hour,Price\n2016-01-01,1,20.5\n2016-01-01,2,n/a\n"));
    EXPECT_DOUBLE_EQ(t.number(0, 2), 20.5);
    const auto msg = error_of<DataError>([&] { t.number(1, t.column("Price")); });
    EXPECT_NE(msg.find("prices.csv:3: expected a number in column 'Price', got 'n/a'"), std::string::npos)
        << msg;
    const auto col = error_of<DataError>([&] { t.column("price"); });
    EXPECT_NE(col.find("no column 'price'; the columns are 'date', 'hour', 'Price'"), std::string::npos)
        << col;
    const auto huge = CsvTable::read(write_file(csv_dir() / "huge.csv", "kW\n1e15\n-1e15\n1e308\n-2e15\n"));
    EXPECT_DOUBLE_EQ(huge.number(0, 0), 1e15);
    EXPECT_DOUBLE_EQ(huge.number(1, 0), -1e15);
    const auto too_large = error_of<DataError>([&] { huge.number(2, 0); });
    EXPECT_NE(too_large.find("huge.csv:4: expected a number within +-1e15 in column 'kW', got '1e308'"),
              std::string::npos)
        << too_large;
    EXPECT_THROW(huge.number(3, 0), DataError);
    for (const char* bad : {"", " ", "1.5x", "nan", "inf", "1,5", "--1", "0x10"}) {
        const auto tb =
            CsvTable::read(write_file(csv_dir() / "bad.csv", std::string("v\n\"") + bad + "\"\n"));
        EXPECT_THROW(tb.number(0, 0), DataError) << bad;
    }
    EXPECT_NE(error_of<DataError>([] {
                  CsvTable::read(write_file(csv_dir() / "unterminated.csv", "a\n\"open\n"));
              }).find("unterminated.csv:2:"),
              std::string::npos);
    EXPECT_NE(error_of<DataError>([] { CsvTable::read("/nonexistent/dir/x.csv"); }).find("cannot open"),
              std::string::npos);
    EXPECT_NE(error_of<DataError>([] {
                  CsvTable::read(write_file(csv_dir() / "empty.csv", "\xEF\xBB\xBF\r\n\r\n"));
              }).find("no header"),
              std::string::npos);
}

// Property: any table written out with RFC 4180 quoting reads back equal.
TEST(Csv, RandomTablesRoundTrip) {
    Rng rng(42);
    const std::string alphabet = "abc XYZ019.,;\"\r\n\t-+\xC3\xA9";
    for (int round = 0; round < 300; ++round) {
        const char delimiter = rng.below(2) == 0 ? ',' : ';';
        const std::size_t width = 1 + rng.below(5);
        const std::size_t rows = rng.below(8);
        auto random_field = [&](bool header) {
            std::string s;
            const std::size_t n = rng.below(8);
            for (std::size_t i = 0; i < n; ++i) s.push_back(alphabet[rng.below(alphabet.size())]);
            if (header) {  // headers are trimmed, so keep them free of edge whitespace
                std::string h("h");
                h.append(std::to_string(rng.below(1000))).append(s).append("h");
                s = h;
            }
            return s;
        };
        std::vector<std::vector<std::string>> table(rows + 1);
        for (std::size_t r = 0; r <= rows; ++r) {
            for (std::size_t c = 0; c < width; ++c) table[r].push_back(random_field(r == 0));
        }
        std::string out = rng.below(2) == 0 ? "\xEF\xBB\xBF" : "";
        const std::string eol = rng.below(2) == 0 ? "\n" : "\r\n";
        for (const auto& row : table) {
            for (std::size_t c = 0; c < width; ++c) {
                const std::string& f = row[c];
                const bool quote = f.empty() || rng.below(4) == 0 ||
                                   f.find_first_of(std::string("\"\r\n") + delimiter) != std::string::npos;
                if (c > 0) out.push_back(delimiter);
                if (quote) {
                    out.push_back('"');
                    for (char ch : f) {
                        if (ch == '"') out.push_back('"');
                        out.push_back(ch);
                    }
                    out.push_back('"');
                } else {
                    out += f;
                }
            }
            out += eol;
        }
        if (rng.below(2) == 0) out += eol + eol;
        CsvOptions options;
        options.delimiter = delimiter;
        const auto t = CsvTable::read(write_file(csv_dir() / "roundtrip.csv", out), options);
        ASSERT_EQ(t.header(), table[0]) << out;
        ASSERT_EQ(t.rows(), rows) << out;
        for (std::size_t r = 0; r < rows; ++r) {
            for (std::size_t c = 0; c < width; ++c) ASSERT_EQ(t.text(r, c), table[r + 1][c]) << out;
        }
    }
}

// Random bytes never crash the reader: it returns a table or throws DataError.
TEST(Csv, RandomBytesNeverCrash) {
    Rng rng(7);
    const std::string interesting =
        "\",;\r\n \xEF\xBB\xBF"
        "0123.e-+nan";
    for (int round = 0; round < 1000; ++round) {
        std::string bytes;
        const std::size_t n = rng.below(200);
        for (std::size_t i = 0; i < n; ++i) {
            bytes.push_back(rng.below(2) == 0 ? interesting[rng.below(interesting.size())]
                                              : static_cast<char>(rng.below(256)));
        }
        CsvOptions options;
        options.skip_lines = rng.below(3);
        options.decimal_comma = rng.below(2) == 0;
        try {
            const auto t = CsvTable::read(write_file(csv_dir() / "fuzz.csv", bytes), options);
            for (std::size_t r = 0; r < t.rows(); ++r) {
                EXPECT_GE(t.line(r), 1u + options.skip_lines);
                for (std::size_t c = 0; c < t.header().size(); ++c) {
                    try {
                        (void)t.number(r, c);
                    } catch (const DataError&) {
                    }
                }
            }
        } catch (const DataError&) {
        }
    }
}

TEST(Csv, ReadsTheShippedDataFiles) {
    const auto arrivals = CsvTable::read(test::data_file("arrivals/elaadnl_distribution-of-arrival.csv"));
    EXPECT_EQ(arrivals.header(),
              (std::vector<std::string>{"Arrival time", "private", "public", "workplace"}));
    EXPECT_EQ(arrivals.rows(), 96u);
    CsvOptions pvwatts;
    pvwatts.skip_lines = 17;
    const auto pv = CsvTable::read(test::data_file("pv/pvwatts_8760_golden_co_4kw.csv"), pvwatts);
    EXPECT_EQ(pv.rows(), 8761u);  // 8760 hours and a "Totals" row
    EXPECT_EQ(pv.line(0), 19u);
    EXPECT_NO_THROW(pv.column("AC System Output (W)"));

    CsvOptions norway;
    norway.delimiter = ';';
    norway.decimal_comma = true;
    const auto sessions =
        CsvTable::read(test::data_file("sessions/norway_residential_2018-12_2020-01.csv"), norway);
    ASSERT_EQ(sessions.rows(), 6878u);
    EXPECT_EQ(sessions.header().back(), "weekdays_plugin");  // CRLF stripped
    double kwh = 0.0;
    const std::size_t col = sessions.column("El_kWh");
    for (std::size_t r = 0; r < sessions.rows(); ++r) kwh += sessions.number(r, col);
    EXPECT_NEAR(kwh, 87493.28, 1e-6);  // python3: csv module, math.fsum of El_kWh with ',' -> '.'
}

}  // namespace
}  // namespace evtwin
