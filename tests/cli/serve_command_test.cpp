// `evtwin serve` as an operator starts it: a token file made with mode 0600, a stop on SIGTERM
// with exit 0, and refusals of bad options and unsafe token files.
#include "record/schema/sqlite_db.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

namespace evtwin {
namespace {

using test::run_command;

TEST(ServeCommand, MakesAPrivateTokenAndStopsOnSigterm) {
    const auto dir = test::temp_dir("serve_command_stop");
    const auto out = dir / "out.txt";
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        const std::string db = (dir / "plans.db").string();
        if (!std::freopen(out.c_str(), "w", stdout)) ::_exit(127);
        ::execl(test::evtwin_command().c_str(), "evtwin", "serve", "--listen", "127.0.0.1:0", "--db",
                db.c_str(), "--access-log", (dir / "access.log").c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    std::string printed;
    for (int i = 0; i < 200 && printed.find("listening on") == std::string::npos; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::ifstream in(out);
        printed.assign(std::istreambuf_iterator<char>(in), {});
    }
    EXPECT_NE(printed.find("listening on http://127.0.0.1:"), std::string::npos) << printed;
    EXPECT_NE(printed.find("token " + (dir / "plans.db.token").string() + ", new"), std::string::npos)
        << printed;
    struct stat st {};
    ASSERT_EQ(::stat((dir / "plans.db.token").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(test::read_file(dir / "plans.db.token").size(), 65u);  // 64 hex digits and a newline

    ::kill(pid, SIGTERM);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_NE(test::read_file(out).find("stopped after 0 plans"), std::string::npos);
}

TEST(ServeCommand, RefusesBadOptionsAndTokenFilesOthersCanRead) {
    const auto dir = test::temp_dir("serve_command_refusals");
    auto r = run_command(test::evtwin_command() + " serve --listen nowhere");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("HOST:PORT"), std::string::npos) << r.output;
    r = run_command(test::evtwin_command() + " serve --listen 127.0.0.1:99999");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    // Counts are whole numbers within bounds: 100000 threads ended in std::terminate().
    for (const char* option : {"--threads 100000", "--threads 1.5", "--max-body 1e30", "--max-vehicles 0"}) {
        r = run_command(test::evtwin_command() + " serve " + option + " --db " + (dir / "a.db").string());
        EXPECT_EQ(r.exit_code, 2) << option << ": " << r.output;
        EXPECT_NE(r.output.find("expects a whole number from 1 to "), std::string::npos) << r.output;
    }
    r = run_command(test::evtwin_command() + " serve --max-horizon-h 1e9 --db " + (dir / "a.db").string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--max-horizon-h expects at most 8784 hours"), std::string::npos) << r.output;
    r = run_command(test::evtwin_command() + " serve --opt replan=deviation --db " + (dir / "a.db").string());
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("STRATEGY.KEY=VALUE"), std::string::npos) << r.output;

    r = run_command(test::evtwin_command() + " serve --token-file " + (dir / "missing").string() + " --db " +
                    (dir / "a.db").string());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("no such token file"), std::string::npos) << r.output;
    const auto open_token = test::write_file(dir / "open.token", "0123456789abcdef0123456789abcdef\n");
    ::chmod(open_token.c_str(), 0644);
    r = run_command(test::evtwin_command() + " serve --token-file " + open_token.string() + " --db " +
                    (dir / "a.db").string());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("chmod 600"), std::string::npos) << r.output;

    r = run_command(test::evtwin_command() + " serve --scenario " + (dir / "nothing.lua").string() +
                    " --db " + (dir / "a.db").string());
    EXPECT_EQ(r.exit_code, 3) << r.output;
}

}  // namespace
}  // namespace evtwin

namespace evtwin {
namespace {

TEST(ServeCommand, AddChargePointStoresAHashedPasswordFromStandardInput) {
    const auto dir = test::temp_dir("serve_command_passwords");
    const std::string file = (dir / "passwords").string();
    const std::string add = " serve add-charge-point --passwords " + file + " --id ";
    auto r = run_command("printf 'sixteen chars ok\\n' | " + test::evtwin_command() + add + "CP-1");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("stored the password of charge point CP-1 in " + file), std::string::npos)
        << r.output;
    r = run_command("printf 'another good password' | " + test::evtwin_command() + add + "CP-2");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    r = run_command("printf 'sixteen chars ok\\r\\n' | " + test::evtwin_command() + add + "CP-1");
    EXPECT_NE(r.output.find("replaced the password of charge point CP-1"), std::string::npos) << r.output;

    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const std::string text = test::read_file(file);
    EXPECT_EQ(text.rfind("CP-1:pbkdf2-sha256:100000:", 0), 0u) << text;
    EXPECT_NE(text.find("\nCP-2:pbkdf2-sha256:100000:"), std::string::npos) << text;
    EXPECT_EQ(text.find("sixteen"), std::string::npos) << text;

    r = run_command("printf 'too short\\n' | " + test::evtwin_command() + add + "CP-3");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("16-40 characters, got 9"), std::string::npos) << r.output;
    r = run_command("printf 'sixteen chars ok\\n' | " + test::evtwin_command() + add + "CP:3");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    r = run_command(test::evtwin_command() + add + "CP-3 < /dev/null");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("standard input"), std::string::npos) << r.output;
    ::chmod(file.c_str(), 0644);
    r = run_command("printf 'sixteen chars ok\\n' | " + test::evtwin_command() + add + "CP-3");
    EXPECT_EQ(r.exit_code, 3) << r.output;
    EXPECT_NE(r.output.find("chmod 600"), std::string::npos) << r.output;
    EXPECT_EQ(test::read_file(file), text);  // unchanged
}

TEST(ServeCommand, TlsNeedsACertificateAndItsKey) {
    const auto dir = test::temp_dir("serve_command_tls");
    const std::string db = " --db " + (dir / "a.db").string();
    auto r = run_command(test::evtwin_command() + " serve --tls-cert " + (dir / "c.pem").string() + db);
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("--tls-cert and --tls-key go together"), std::string::npos) << r.output;
    r = run_command(test::evtwin_command() + " serve --tls-cert " + (dir / "c.pem").string() + " --tls-key " +
                    (dir / "k.pem").string() + db);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find((dir / "c.pem").string() + ": cannot use it as the TLS certificate chain"),
              std::string::npos)
        << r.output;

    const std::string cert = (dir / "c.pem").string(), key = (dir / "k.pem").string();
    ASSERT_EQ(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 -keyout " +
                           key + " -out " + cert + " 2>/dev/null")
                              .c_str()),
              0);
    const auto printed = [&] {
        std::ifstream in(dir / "out.txt");
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const auto server =
        test::start_background({test::evtwin_binary().string(), "serve", "--listen", "127.0.0.1:0",
                                "--tls-cert", cert, "--tls-key", key, "--db", (dir / "a.db").string()},
                               dir / "out.txt");
    EXPECT_TRUE(test::wait_until(
        [&] { return printed().find("listening on https://127.0.0.1:") != std::string::npos; },
        std::chrono::minutes(1)))
        << printed();
    ::kill(server.pid, SIGTERM);
    EXPECT_EQ(test::wait_for_exit(server), 0) << printed();
}

// The live strategy runs as `evtwin run` runs it on the scenario, with the operator's --opt added:
// the planning API's default for plans (mpc.replan=deviation) is not its own.
TEST(ServeCommand, TheLiveStrategyGetsTheOperatorsOptionsAndNotThePlanningDefaults) {
    const auto dir = test::temp_dir("serve_command_live_opt");
    const auto db = dir / "live.db";
    const auto server = test::start_background(
        {test::evtwin_binary().string(), "serve", "--listen", "127.0.0.1:0", "--db", db.string(),
         "--scenario", test::source_file("scenarios/quickstart.lua").string(), "--strategy", "mpc", "--opt",
         "mpc.horizon_h=2", "--access-log", (dir / "access.log").string()},
        dir / "out.txt");
    const auto printed = [&] {
        return std::filesystem::exists(dir / "out.txt") ? test::read_file(dir / "out.txt") : std::string();
    };
    EXPECT_TRUE(test::wait_until([&] { return printed().find("central system") != std::string::npos; },
                                 std::chrono::minutes(1)))
        << printed();
    ::kill(server.pid, SIGTERM);
    EXPECT_EQ(test::wait_for_exit(server), 0) << test::read_file(dir / "out.txt");
    sqlite::Db results(db, sqlite::Db::Mode::read_only);
    sqlite::Stmt options(results, "SELECT strategy_options FROM runs");
    ASSERT_TRUE(options.step());
    EXPECT_NE(options.text(0).find("horizon_h=2"), std::string::npos) << options.text(0);
    EXPECT_EQ(options.text(0).find("replan"), std::string::npos) << options.text(0);
}

}  // namespace
}  // namespace evtwin
