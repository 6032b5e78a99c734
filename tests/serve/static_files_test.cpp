// The planner page's files: only the files listed at start are served, by their exact path, whole
// and streamed; no target a client writes reaches another file (absolute paths, "..", escapes,
// hidden files, symlinks out of the folder), through the real server and API.
#include "http_client.hpp"

#include "serve/net/http_server.hpp"
#include "serve/net/static_files.hpp"
#include "serve/plan/api.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <future>

namespace evtwin::serve {
namespace {

namespace fs = std::filesystem;

// A web folder with a page, a script in a subfolder, a hidden file and symlinks in and out, beside
// a secret file that must never be served.
class WebFolder : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = evtwin::test::temp_dir(std::string("static_files_") +
                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        web_ = dir_ / "web";
        evtwin::test::write_file(web_ / "index.html", "<!doctype html><title>planner</title>");
        evtwin::test::write_file(web_ / "app" / "plan.js", "export const x = 1;");
        evtwin::test::write_file(web_ / ".token", "hidden");
        evtwin::test::write_file(dir_ / "secret.txt", "the token");
        fs::create_symlink(dir_ / "secret.txt", web_ / "secret.txt");
        fs::create_directory_symlink(dir_, web_ / "up");
        fs::create_symlink(web_ / "app" / "plan.js", web_ / "alias.js");
    }

    fs::path dir_;
    fs::path web_;
};

TEST_F(WebFolder, ListsThePlainFilesInsideTheFolderOnly) {
    const StaticFiles files(web_);
    EXPECT_EQ(files.size(), 3u);  // index.html, app/plan.js, alias.js
    const auto page = files.find("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(page->file, fs::canonical(web_ / "index.html"));
    EXPECT_TRUE(page->body.empty());  // streamed from the file, never read into memory
    ASSERT_TRUE(files.find("/app/plan.js"));
    EXPECT_EQ(files.find("/app/plan.js")->content_type, "text/javascript; charset=utf-8");
    EXPECT_TRUE(files.find("/alias.js"));
}

TEST_F(WebFolder, NoTargetReachesAFileOutsideTheList) {
    const StaticFiles files(web_);
    for (const char* target :
         {"//etc/passwd", "/%2F%2Fetc/passwd", "/..%2f..%2fetc%2fpasswd", "/../secret.txt",
          "/app/../index.html", "/./index.html", "//index.html", "/secret.txt", "/up/secret.txt",
          "/up/web/index.html", "/.token", "/app/", "/app", "", "index.html", "/index.html/", "/INDEX.HTML",
          "/index.html%00.js"}) {
        EXPECT_FALSE(files.find(target)) << target;
    }
}

TEST(StaticFiles, AMissingOrUnnamedFolderListsNothing) {
    EXPECT_EQ(StaticFiles("").size(), 0u);
    EXPECT_EQ(StaticFiles("/nonexistent/evtwin/web").size(), 0u);
    EXPECT_FALSE(StaticFiles("").find("/"));
}

// The API on a real server: the page, the refusals, a large file whole.
class ServedWebFolder : public WebFolder {
protected:
    void SetUp() override {
        WebFolder::SetUp();
        large_.assign(8 << 20, '\0');
        for (std::size_t i = 0; i < large_.size(); ++i) large_[i] = static_cast<char>('a' + i % 26);
        evtwin::test::write_file(web_ / "large.csv", large_);
        PlannerConfig config;
        config.db = dir_ / "plans.db";
        config.work_dir = dir_ / "work";
        planner_ = std::make_unique<Planner>(config);
        api_ = std::make_unique<Api>(*planner_, ApiConfig{"0123456789abcdef0123456789abcdef", web_, {}, {}});
        HttpServerOptions options;
        options.port = 0;
        server_ = std::make_unique<HttpServer>(
            options, [this](const HttpRequest& r) { return api_->handle(r); }, nullptr);
        running_ = std::async(std::launch::async, [this] { server_->run(); });
    }
    void TearDown() override {
        server_->stop();
        running_.get();
    }

    test::HttpReply get(const std::string& target) {
        return test::http_request(server_->port(), "GET", target);
    }

    std::string large_;
    std::unique_ptr<Planner> planner_;
    std::unique_ptr<Api> api_;
    std::unique_ptr<HttpServer> server_;
    std::future<void> running_;
};

TEST_F(ServedWebFolder, ThePageIsServedWithItsType) {
    const auto page = get("/");
    EXPECT_EQ(page.status, 200);
    EXPECT_EQ(page.body, "<!doctype html><title>planner</title>");
    EXPECT_EQ(page.headers.at("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(get("/app/plan.js").body, "export const x = 1;");
}

TEST_F(ServedWebFolder, PathsOutOfTheFolderGet404WithoutTheFile) {
    for (const char* target :
         {"//etc/passwd", "/%2F%2Fetc/passwd", "/..%2f..%2fetc%2fpasswd", "/../../etc/passwd",
          "//proc/self/cmdline", "/secret.txt", "/up/secret.txt", "/.token", "//plans.db.token"}) {
        const auto reply = get(target);
        EXPECT_EQ(reply.status, 404) << target;
        EXPECT_EQ(reply.body.find("the token"), std::string::npos) << target;
        EXPECT_EQ(reply.body.find("root:"), std::string::npos) << target;
    }
}

TEST_F(ServedWebFolder, ALargeFileArrivesWhole) {
    const auto reply = get("/large.csv");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.headers.at("content-length"), std::to_string(large_.size()));
    EXPECT_TRUE(reply.body == large_);
}

TEST_F(ServedWebFolder, AFileRemovedAfterStartGets404) {
    fs::remove(web_ / "app" / "plan.js");
    EXPECT_EQ(get("/app/plan.js").status, 404);
}

}  // namespace
}  // namespace evtwin::serve
