// The evtwin-viewer program end to end: headless screenshots under Xvfb (Mesa) whose pixels are
// checked, and clear errors for bad input. Skipped when the viewer is not built (EVTWIN_WITH_VIEWER
// OFF); a missing xvfb-run skips too, except under CI where it fails (EVTWIN_REQUIRE_TOOL).
#include "feeder_run.hpp"
#include "record/health_run.hpp"
#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#ifdef EVTWIN_HAVE_VIEWER_APP
#include <stb_image.h>
#endif

#include <cstdlib>
#include <set>
#include <sstream>

namespace evtwin {
namespace {

std::filesystem::path viewer_binary() {
    return test::evtwin_binary().parent_path() / "evtwin-viewer";
}

bool viewer_built() {
#ifdef EVTWIN_HAVE_VIEWER_APP
    return true;
#else
    return false;
#endif
}

// A viewer left out of the build (EVTWIN_WITH_VIEWER=OFF) is the build's choice and skips; a built
// viewer without its program file or without xvfb-run is a missing tool.
#define REQUIRE_VIEWER()                                                                                 \
    do {                                                                                                 \
        if (!viewer_built()) GTEST_SKIP() << "evtwin-viewer is not built (EVTWIN_WITH_VIEWER=OFF)";      \
        EVTWIN_REQUIRE_TOOL(std::filesystem::exists(viewer_binary()),                                    \
                            "no evtwin-viewer at " << viewer_binary().string() << ": build its target"); \
        EVTWIN_REQUIRE_TOOL(                                                                             \
            test::have_program("xvfb-run"),                                                              \
            "xvfb-run is not installed: run scripts/install-deps (Debian packages xvfb, xauth)");        \
    } while (false)

std::string q(const std::filesystem::path& p) {
    return std::string("'").append(p.string()).append("'");
}

// A quickstart run (uncontrolled) in a folder of its own: ctest runs each test in its own process,
// in parallel.
const std::filesystem::path& quickstart_db() {
    static const std::filesystem::path db = [] {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        const auto dir = test::temp_dir(std::string("viewer_app_qs_").append(info ? info->name() : "any"));
        const auto file = dir / "qs.db";
        const auto r =
            test::run_command(q(test::evtwin_binary()) + " run " +
                              q(test::source_file("scenarios/quickstart.lua")) + " --db " + q(file));
        EXPECT_EQ(r.exit_code, 0) << r.output;
        return file;
    }();
    return db;
}

// `gl`: the command opens a window. Mesa's driver, dlclose'd by glfwTerminate, leaves a few hundred
// bytes that LeakSanitizer reports from an "<unknown module>" (no suppression can name it), so leak
// detection is off for those runs only; the data and timeline code is
// leak-checked in-process by the other tests of this folder.
test::CommandResult viewer(const std::string& args, bool gl = false) {
    const std::string env = gl ? "ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 " : "";
    return test::run_command(env + "xvfb-run -a " + q(viewer_binary()) + " " + args + " 2>&1");
}

TEST(ViewerApp, ScreenshotShowsThePowerPlotWithItsLimitLines) {
    REQUIRE_VIEWER();
#ifdef EVTWIN_HAVE_VIEWER_APP
    const auto png = test::temp_dir("viewer_app_shot") / "shot.png";
    const auto r =
        viewer(q(quickstart_db()) + " --screenshot " + q(png) + " --at +2d12h --size 1000x700", true);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // quickstart starts at local midnight in Seoul: +2d12h is noon KST, 03:00 UTC.
    EXPECT_NE(r.output.find("at 2024-07-03 12:00:00 KST (2024-07-03 03:00:00 UTC)"), std::string::npos)
        << r.output;
    // "power_plot x y w h": where the plot area is in the image.
    const auto at = r.output.find("power_plot ");
    ASSERT_NE(at, std::string::npos) << r.output;
    std::istringstream in(r.output.substr(at + 11));
    int px = 0, py = 0, pw = 0, ph = 0;
    in >> px >> py >> pw >> ph;
    ASSERT_GT(pw, 100);
    ASSERT_GT(ph, 50);

    int w = 0, h = 0, channels = 0;
    unsigned char* pixels = stbi_load(png.string().c_str(), &w, &h, &channels, 3);
    ASSERT_NE(pixels, nullptr) << "not a readable PNG";
    EXPECT_EQ(w, 1000);
    EXPECT_EQ(h, 700);
    std::set<std::uint32_t> colours;
    long limit_inside = 0, limit_outside = 0, bright_in_plot = 0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const unsigned char* p = pixels + (static_cast<std::size_t>(y) * w + x) * 3;
            colours.insert(static_cast<std::uint32_t>(p[0]) << 16 | p[1] << 8 | p[2]);
            const bool in_plot = x >= px && x < px + pw && y >= py && y < py + ph;
            if (p[0] == 255 && p[1] == 48 && p[2] == 48) (in_plot ? limit_inside : limit_outside)++;
            // EV charging (blue) and PV (yellow) stacks are drawn inside the plot.
            if (in_plot && ((p[2] > 150 && p[0] < 100) || (p[0] > 200 && p[1] > 160 && p[2] < 100)))
                ++bright_in_plot;
        }
    stbi_image_free(pixels);
    EXPECT_GT(colours.size(), 50u) << "the image looks blank";
    // quickstart's grid connection has import and export limits: two dashed lines across the plot.
    EXPECT_GT(limit_inside, 2 * pw / 2) << "no limit line in the power plot";
    EXPECT_EQ(limit_outside, 0) << "the limit colour outside the plot";
    EXPECT_GT(bright_in_plot, 500) << "no EV or PV power drawn in the plot";
#endif
}

#ifdef EVTWIN_HAVE_VIEWER_APP
// "name x y w h" of the screenshot's layout report.
struct Rect {
    int x = 0, y = 0, w = 0, h = 0;
    bool contains(int px, int py) const { return px >= x && px < x + w && py >= y && py < y + h; }
};

Rect rect_of(const std::string& output, const std::string& name) {
    Rect r;
    const auto at = output.find(name + " ");
    if (at == std::string::npos) return r;
    std::istringstream in(output.substr(at + name.size() + 1));
    in >> r.x >> r.y >> r.w >> r.h;
    return r;
}

struct Image {
    int w = 0, h = 0;
    std::vector<unsigned char> rgb;
    explicit Image(const std::filesystem::path& png) {
        int channels = 0;
        unsigned char* p = stbi_load(png.string().c_str(), &w, &h, &channels, 3);
        if (p) rgb.assign(p, p + static_cast<std::size_t>(w) * h * 3);
        stbi_image_free(p);
    }
    bool is(int x, int y, std::uint32_t rgb_colour) const {
        if (x < 0 || y < 0 || x >= w || y >= h) return false;
        const unsigned char* p = rgb.data() + (static_cast<std::size_t>(y) * w + x) * 3;
        return (static_cast<std::uint32_t>(p[0]) << 16 | p[1] << 8 | p[2]) == rgb_colour;
    }
};

// viewer/app/colours.hpp, as RGB.
std::uint32_t grade_rgb(char g) {
    switch (g) {
        case 'A':
            return 0x28b478;
        case 'B':
            return 0x96c83c;
        case 'C':
            return 0xf0aa28;
        default:
            return 0xe1463c;
    }
}
constexpr std::uint32_t kStationCharge = 0x3c8ce6, kStationDischarge = 0xaf5ae1;
#endif

TEST(ViewerApp, ScreenshotShowsGradesInTheSiteTreeAndChargeAndDischargePerStation) {
    REQUIRE_VIEWER();
#ifdef EVTWIN_HAVE_VIEWER_APP
    const auto dir = test::temp_dir("viewer_app_health");
    const auto db = test::write_health_run(dir / "health.db");
    const auto grades = RunReader(db).battery_grades(1);
    ASSERT_EQ(grades.size(), 2u);  // ess:battery, ev:car-7
    ASSERT_NE(grades[0].grade, grades[1].grade) << "two colours to look for";
    const auto png = dir / "stations.png";
    // At 02:30 car-7 is plugged into A and feeds back 5 kW; the window is the whole run.
    const auto r = viewer(q(db) + " --screenshot " + q(png) + " --at +2h30m --span 4h --tab stations", true);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const Rect site = rect_of(r.output, "site_tree"), plot = rect_of(r.output, "stations");
    ASSERT_GT(site.w, 100) << r.output;
    ASSERT_GT(plot.w, 100) << r.output;
    ASSERT_GT(plot.h, 40) << r.output;
    const Image img(png);
    ASSERT_EQ(img.w, 1600) << "not a readable PNG";

    // Site tree: the vehicle's and the ESS's grade chips, in their grade's colour.
    for (const auto& g : grades) {
        long in_site = 0;
        for (int y = site.y; y < site.y + site.h; ++y)
            for (int x = site.x; x < site.x + site.w; ++x) in_site += img.is(x, y, grade_rgb(g.grade));
        EXPECT_GT(in_site, 40) << g.battery << " grade " << g.grade << " not shown in the site tree";
    }
    // Stations: charging above each row's axis, V2G below; A discharges from 02:00 to 03:00 only, and
    // charging happens from 00:30 (A) to 03:00 (B), on a window of 00:00-04:00.
    long charge = 0, discharge = 0, charge_outside = 0, discharge_outside = 0;
    const auto x_at = [&](double hours) { return plot.x + static_cast<int>(plot.w * hours / 4.0); };
    for (int y = plot.y; y < plot.y + plot.h; ++y)
        for (int x = plot.x; x < plot.x + plot.w; ++x) {
            if (img.is(x, y, kStationCharge)) {
                ++charge;
                charge_outside += x < x_at(0.5) - 3 || x > x_at(3) + 3;
            }
            if (img.is(x, y, kStationDischarge)) {
                ++discharge;
                discharge_outside += x < x_at(2) - 3 || x > x_at(3) + 3;
            }
        }
    EXPECT_GT(charge, 500) << "no charging drawn per station";
    EXPECT_GT(discharge, 100) << "no discharging drawn per station";
    EXPECT_EQ(charge_outside, 0) << "charging drawn where no station charged";
    EXPECT_EQ(discharge_outside, 0) << "discharging drawn outside 02:00-03:00";

    // The Batteries tab lists both, with their grade chips.
    const auto list = dir / "batteries.png";
    const auto r2 = viewer(q(db) + " --screenshot " + q(list) + " --at +2h30m --tab batteries", true);
    ASSERT_EQ(r2.exit_code, 0) << r2.output;
    EXPECT_EQ(rect_of(r2.output, "stations").w, 0) << "the stations tab is not shown";
    const Image img2(list);
    ASSERT_EQ(img2.w, 1600);
    long chips_outside_site = 0;
    for (int y = 0; y < img2.h; ++y)
        for (int x = site.x + site.w; x < img2.w; ++x)
            chips_outside_site += img2.is(x, y, grade_rgb(grades[1].grade));
    EXPECT_GT(chips_outside_site, 40) << "no grade chip in the Batteries list";
#endif
}

TEST(ViewerApp, ScreenshotShowsTheFeedersBusesColouredByVoltage) {
    REQUIRE_VIEWER();
#ifdef EVTWIN_HAVE_VIEWER_APP
    const auto dir = test::temp_dir("viewer_app_feeder");
    const auto db = test::write_feeder_run(dir);
    // At 10:30 the site's bus b2 is below its band (red) and the other three within theirs (green).
    const auto png = dir / "feeder.png";
    const auto r = viewer(q(db) + " --screenshot " + q(png) + " --at +10h30m --tab feeder", true);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const Rect feeder = rect_of(r.output, "feeder");
    ASSERT_GT(feeder.w, 100) << r.output;
    ASSERT_GT(feeder.h, 40) << r.output;
    const Image img(png);
    ASSERT_EQ(img.w, 1600) << "not a readable PNG";
    constexpr std::uint32_t kLow = 0xeb3c32, kWithin = 0x46be5a;
    const auto count = [&](const Image& image, std::uint32_t rgb) {
        long n = 0;
        for (int y = feeder.y - 10; y < feeder.y + feeder.h + 10; ++y)
            for (int x = feeder.x - 10; x < feeder.x + feeder.w + 10; ++x) n += image.is(x, y, rgb);
        return n;
    };
    const long low = count(img, kLow), within = count(img, kWithin);
    EXPECT_GT(low, 10) << "the sagging site bus is not drawn red";
    EXPECT_GT(within, 3 * 10) << "the three buses within their bands are not drawn green";
    // At 09:00 nothing charges: no bus is red.
    const auto quiet = dir / "quiet.png";
    const auto r2 = viewer(q(db) + " --screenshot " + q(quiet) + " --at +9h --tab feeder", true);
    ASSERT_EQ(r2.exit_code, 0) << r2.output;
    const Image img2(quiet);
    EXPECT_EQ(count(img2, kLow), 0);
    EXPECT_GT(count(img2, kWithin), 4 * 10);
    // A run without a feeder has no such tab.
    const auto r3 =
        viewer(q(quickstart_db()) + " --screenshot " + q(dir / "none.png") + " --at +1h --tab feeder", true);
    ASSERT_EQ(r3.exit_code, 0) << r3.output;
    EXPECT_EQ(rect_of(r3.output, "feeder").w, 0);
#endif
}

TEST(ViewerApp, TimesAreTheSitesUnlessUtcIsAskedFor) {
    REQUIRE_VIEWER();
    const auto dir = test::temp_dir("viewer_app_zone");
    const auto shot = [&](const std::string& args) {
        return viewer(q(quickstart_db()) + " --screenshot " + q(dir / "z.png") + " --size 640x480 " + args,
                      true);
    };
    const std::string kst = "at 2024-07-03 12:00:00 KST (2024-07-03 03:00:00 UTC)";
    const std::string utc = "at 2024-07-03 03:00:00 UTC (2024-07-03 12:00:00 KST)";
    for (const auto& [args, expected] :
         std::vector<std::pair<std::string, std::string>>{{"--at 2024-07-03T12:00", kst},
                                                          {"--at 2024-07-03T03:00Z", kst},
                                                          {"--at '2024-07-03 12:00 KST'", kst},
                                                          {"--utc --at 2024-07-03T03:00", utc},
                                                          {"--at 2024-07-03T03:00 --utc", utc},
                                                          {"--utc --at +2d12h", utc}}) {
        const auto r = shot(args);
        ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.output;
        EXPECT_NE(r.output.find(expected), std::string::npos) << args << "\n" << r.output;
        EXPECT_EQ(r.output.find("no time zone"), std::string::npos) << r.output;
    }
    // A typed time the site's zone cannot have: a clear message, exit 1, no image.
    const auto bad =
        viewer(q(quickstart_db()) + " --screenshot " + q(dir / "bad.png") + " --at '2024-07-03 12:00 PST'");
    EXPECT_EQ(bad.exit_code, 1) << bad.output;
    EXPECT_NE(bad.output.find("'PST' is not what Asia/Seoul calls that time (expected KST"),
              std::string::npos)
        << bad.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "bad.png"));

    // A run that stores no time zone is shown in UTC, and the viewer says so.
    const auto bare = dir / "bare.db";
    std::filesystem::copy_file(quickstart_db(), bare, std::filesystem::copy_options::overwrite_existing);
    {
        sqlite::Db db(bare, sqlite::Db::Mode::read_write_create);
        db.exec("UPDATE runs SET timezone = ''");
    }
    const auto r = viewer(
        q(bare) + " --screenshot " + q(dir / "bare.png") + " --size 640x480 --at 2024-07-03T03:00", true);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("at 2024-07-03 03:00:00 UTC (2024-07-03 03:00:00 UTC)"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("the run stores no time zone: times are in UTC"), std::string::npos) << r.output;
}

TEST(ViewerApp, BadDatabaseGivesAClearErrorAndNonZeroExit) {
    REQUIRE_VIEWER();
    const auto dir = test::temp_dir("viewer_app_bad");
    const auto text = test::write_file(dir / "notes.db", "hello, not a database\n");
    auto r = viewer(q(text) + " --screenshot " + q(dir / "x.png") + " --at +1h");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("notes.db"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("not an SQLite database"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir / "x.png"));
    {  // an SQLite file of another program
        sqlite::Db db(dir / "foreign.db", sqlite::Db::Mode::read_write_create);
        db.exec("CREATE TABLE t (x INTEGER)");
    }
    r = viewer(q(dir / "foreign.db"));
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("not an evtwin results database"), std::string::npos) << r.output;
    r = viewer(q(dir / "missing.db"));
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("missing.db"), std::string::npos) << r.output;
    r = viewer(q(quickstart_db()) + " --run 9");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("9"), std::string::npos) << r.output;
}

TEST(ViewerApp, UsageErrorsExitWithTwo) {
    REQUIRE_VIEWER();
    for (const char* args : {"", "x.db --screenshot a.png", "x.db --size 10", "x.db --run zero",
                             "x.db --bogus", "x.db --tab costs"}) {
        const auto r = viewer(args);
        EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
        EXPECT_NE(r.output.find("usage: evtwin-viewer"), std::string::npos) << r.output;
    }
    const auto r = viewer(q(quickstart_db()) + " --screenshot /tmp/x.png --at 2024-99-01");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("bad month"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace evtwin
