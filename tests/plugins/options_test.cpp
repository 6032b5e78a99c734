// The SDK's option readers (evtwin/options.hpp): what each accepts and how it refuses the rest.
#include <evtwin/options.hpp>

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>

namespace evtwin {
namespace {

TEST(PluginOptions, ANumberIsTheWholeTextAndFinite) {
    EXPECT_EQ(parse_number("12"), 12.0);
    EXPECT_EQ(parse_number("-0.5"), -0.5);
    EXPECT_EQ(parse_number("1e3"), 1000.0);
    EXPECT_EQ(parse_number("1e-05"), 1e-5);  // as Lua writes a small number
    EXPECT_EQ(parse_number("+2"), 2.0);
    for (const char* bad :
         {"", "12x", " 1", "1 ", "nan", "inf", "-inf", "1e400", "0x10", "1,5", "--1", "+", "+-1", "++1"})
        EXPECT_FALSE(parse_number(bad).has_value()) << "'" << bad << "'";
}

// Any finite double, written in its shortest form, reads back to itself.
TEST(PluginOptions, EveryFiniteNumberReadsBackExactly) {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 20000; ++i) {
        const std::uint64_t bits = rng();
        double v = 0.0;
        static_assert(sizeof v == sizeof bits);
        std::memcpy(&v, &bits, sizeof v);
        if (!std::isfinite(v)) continue;
        char text[64];
        const auto [end, error] = std::to_chars(text, text + sizeof text, v);
        ASSERT_EQ(error, std::errc());
        const auto read = parse_number(std::string_view(text, static_cast<std::size_t>(end - text)));
        ASSERT_TRUE(read.has_value()) << text;
        EXPECT_EQ(*read, v) << text;
    }
}

TEST(PluginOptions, NumbersAreGivenWithinTheirRangeOrRefusedWithIt) {
    const PluginOptions o{{"gap", "0.01"}, {"wide", "2"}, {"text", "fast"}};
    EXPECT_EQ(number_option(o, "gap", 0.5, 0.0, 1.0), 0.01);
    EXPECT_EQ(number_option(o, "absent", 0.5, 0.0, 1.0), 0.5);  // a fallback is not range-checked
    EXPECT_EQ(test::error_of<OptionError>([&] { number_option(o, "wide", 0.5, 0.0, 1.0); }),
              "option wide='2' must be a number from 0 to 1");
    EXPECT_EQ(test::error_of<OptionError>([&] { number_option(o, "text", 0.5, 0.25, 8784.0); }),
              "option text='fast' must be a number from 0.25 to 8784");
    EXPECT_EQ(number_option({{"x", "-3"}}, "x", 0.0, -5.0, 5.0), -3.0);
}

TEST(PluginOptions, WholeNumbersAreWholeAndWithinTheirRange) {
    const PluginOptions o{{"n", "1e3"}, {"half", "2.5"}, {"big", "1e300"}};
    EXPECT_EQ(whole_option(o, "n", 1, 0, 10'000), 1000);
    EXPECT_EQ(whole_option(o, "absent", 7, 0, 10), 7);
    EXPECT_EQ(test::error_of<OptionError>([&] { whole_option(o, "half", 1, 0, 10); }),
              "option half='2.5' must be a whole number from 0 to 10");
    EXPECT_EQ(test::error_of<OptionError>([&] { whole_option(o, "big", 1, 0, std::int64_t{1} << 53); }),
              "option big='1e300' must be a whole number from 0 to 9007199254740992");
}

TEST(PluginOptions, FlagsAndChoices) {
    const PluginOptions o{{"a", "true"}, {"b", "0"}, {"c", "yes"}, {"mode", "mpc"}};
    EXPECT_TRUE(flag_option(o, "a", false));
    EXPECT_FALSE(flag_option(o, "b", true));
    EXPECT_TRUE(flag_option(o, "absent", true));
    EXPECT_EQ(test::error_of<OptionError>([&] { flag_option(o, "c", false); }),
              "option c='yes' must be true or false");
    EXPECT_EQ(choice_option(o, "mode", "oracle", {"oracle", "mpc"}), "mpc");
    EXPECT_EQ(choice_option(o, "absent", "oracle", {"oracle", "mpc"}), "oracle");
    EXPECT_EQ(test::error_of<OptionError>([&] {
                  choice_option(o, "mode", "a", {"a", "b"});
              }),
              "option mode='mpc' must be one of a, b");
}

TEST(PluginOptions, UnknownKeysAreRefusedWithTheKnownOnes) {
    EXPECT_EQ(test::error_of<OptionError>([] {
                  check_option_keys({{"colour", "red"}}, {"gap", "seed"});
              }),
              "unknown option 'colour'; known options: gap, seed");
    EXPECT_EQ(test::error_of<OptionError>([] {
                  check_option_keys({{"colour", "red"}}, {});
              }),
              "unknown option 'colour'; it takes no options");
    EXPECT_EQ(test::error_of<OptionError>([] {
                  check_option_keys({{"gap", "1"}}, {"gap"});
              }),
              "(no OptionError)");
}

}  // namespace
}  // namespace evtwin
