// The evtwin-viewer program end to end: a headless screenshot under Xvfb (Mesa) whose pixels are
// checked, and clear errors for bad input. Skipped when the viewer is not built (EVTWIN_WITH_VIEWER
// OFF) or xvfb-run is missing.
#include "record/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#ifdef EVTWIN_HAVE_VIEWER_APP
#include <stb_image.h>
#endif

#include <set>
#include <sstream>

namespace evtwin {
namespace {

std::filesystem::path viewer_binary() {
    return test::evtwin_binary().parent_path() / "evtwin-viewer";
}

bool have_viewer() {
#ifdef EVTWIN_HAVE_VIEWER_APP
    return std::filesystem::exists(viewer_binary()) &&
           test::run_command("command -v xvfb-run").exit_code == 0;
#else
    return false;
#endif
}

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
    if (!have_viewer()) GTEST_SKIP() << "evtwin-viewer or xvfb-run not available";
#ifdef EVTWIN_HAVE_VIEWER_APP
    const auto png = test::temp_dir("viewer_app_shot") / "shot.png";
    const auto r =
        viewer(q(quickstart_db()) + " --screenshot " + q(png) + " --at +2d12h --size 1000x700", true);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("at 2024-07-03 03:00:00"), std::string::npos) << r.output;
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

TEST(ViewerApp, BadDatabaseGivesAClearErrorAndNonZeroExit) {
    if (!have_viewer()) GTEST_SKIP() << "evtwin-viewer or xvfb-run not available";
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
    if (!have_viewer()) GTEST_SKIP() << "evtwin-viewer or xvfb-run not available";
    for (const char* args :
         {"", "x.db --screenshot a.png", "x.db --size 10", "x.db --run zero", "x.db --bogus"}) {
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
