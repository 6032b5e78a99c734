// The learned model's file: written and read back to the same predictions; a foreign or damaged file
// is refused naming the file and the field.
#include "driver_sessions.hpp"
#include "drivers/evaluation.hpp"
#include "drivers/model.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace evtwin::drivers {
namespace {

DriverModelParams params() {
    DriverModelParams p;
    p.hidden = 3;
    for (int i = 0; i < kSlotFeatures; ++i) {
        p.mean.push_back(0.01 * i);
        p.scale.push_back(0.5 + 0.1 * i);
    }
    for (int i = 0; i < 3 * kSlotFeatures; ++i) p.w1.push_back(0.03 * ((i * 5) % 13 - 6) + 1e-9 / 3.0);
    p.b1 = {0.1, -0.2, 0.3};
    p.w2 = {0.7, -0.4, 1.1};
    p.b2 = -1.5;
    p.energy_w = {0.6, 0.3, 0.05, 0.05};
    p.energy_b = 0.1;
    p.trained = {{"seed", "7"}};
    return p;
}

std::filesystem::path temp_file(const std::string& name) {
    return std::filesystem::temp_directory_path() / ("evtwin_drivers_" + name);
}

TEST(DriverModelFile, RoundTripGivesTheSamePredictions) {
    const auto file = temp_file("round_trip.json");
    write_model(file, params());
    const DriverModel read = read_model(file);
    const DriverModel made(params());
    EXPECT_EQ(read.params().w1, made.params().w1);  // bit for bit
    EXPECT_EQ(read.params().trained, made.params().trained);
    const DriverHistory h =
        drivers_test::history_of({{"a", "2021-06-01T08:30", 7.0}, {"a", "2021-06-08T09:00", 11.0}});
    DriverView view;
    ASSERT_TRUE(driver_view(h.drivers[0], parse_local("2021-06-14"), view));
    DriverPrediction a, b;
    read.predict(view, population_view({view}), a);
    made.predict(view, population_view({view}), b);
    EXPECT_EQ(a.probability, b.probability);
    EXPECT_EQ(a.next_kwh, b.next_kwh);
    EXPECT_GT(a.probability[0], 0.0);
    EXPECT_LT(a.probability[0], 1.0);
    // Written twice, the same bytes.
    const auto again = temp_file("round_trip_again.json");
    write_model(again, read.params());
    std::ifstream x(file), y(again);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(x), {}),
              std::string(std::istreambuf_iterator<char>(y), {}));
}

TEST(DriverModelFile, AnotherFeatureListIsRefusedNamingBoth) {
    const auto file = temp_file("features.json");
    write_model(file, params());
    nlohmann::json doc;
    std::ifstream(file) >> doc;
    doc["features"][0] = "something_else";
    std::ofstream(file) << doc.dump();
    try {
        read_model(file);
        FAIL() << "read";
    } catch (const DataError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(file.string()), std::string::npos) << what;
        EXPECT_NE(what.find("'features'"), std::string::npos) << what;
        EXPECT_NE(what.find("something_else"), std::string::npos) << what;
    }
}

TEST(DriverModelFile, DamagedFilesAreRefused) {
    const auto file = temp_file("damaged.json");
    std::ofstream(file) << R"({"format": "evtwin-drivers-model", "version": 1)";  // cut short
    EXPECT_THROW(read_model(file), DataError);
    write_model(file, params());
    nlohmann::json doc;
    std::ifstream(file) >> doc;
    doc["w1"].erase(0);
    std::ofstream(file) << doc.dump();
    try {
        read_model(file);
        FAIL() << "read";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("'w1'"), std::string::npos) << e.what();
    }
    std::ofstream(file) << R"({"format": "evtwin-forecast-model"})";
    EXPECT_THROW(read_model(file), DataError);
    EXPECT_THROW(read_model(temp_file("missing.json")), DataError);
}

TEST(DriverModelFile, FieldsOfTheWrongKindAreDataErrors) {
    const auto named = [](const std::string& text) {
        try {
            parse_model(text, "model.json");
        } catch (const DataError& e) {
            return std::string(e.what());
        }
        return std::string("(accepted)");
    };
    EXPECT_NE(named(R"({"format": 5})").find("'format'"), std::string::npos);
    EXPECT_NE(named(R"({"format": "evtwin-drivers-model", "version": "1"})").find("'version'"),
              std::string::npos);
    EXPECT_NE(named("[1, 2").find("invalid JSON"), std::string::npos);
    const auto file = temp_file("kinds.json");
    write_model(file, params());
    nlohmann::json doc;
    std::ifstream(file) >> doc;
    for (const double hidden : {1e12, -3.0, 2.5}) {
        doc["hidden"] = hidden;
        EXPECT_NE(named(doc.dump()).find("'hidden'"), std::string::npos) << hidden;
    }
    doc["hidden"] = 3;
    doc["w2"][1] = 1e300;  // its products could overflow to infinities whose sum is NaN
    EXPECT_NE(named(doc.dump()).find("'w2'"), std::string::npos);
}

}  // namespace
}  // namespace evtwin::drivers
