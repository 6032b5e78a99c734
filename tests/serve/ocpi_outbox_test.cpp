// The OCPI endpoints' own calls to an eMSP (serve/ocpi/ocpi_outbox.hpp): sent in order, an answer
// other than OCPI's success counted as failed with its reason, and a party that cannot be reached
// never holding more calls than the bound.
#include "serve/ocpi/ocpi_outbox.hpp"
#include "serve/net/http_server.hpp"

#include <gtest/gtest.h>

#include <future>
#include <mutex>

namespace evtwin::serve {
namespace {

TEST(OcpiOutbox, CallsGoInOrderAndAnOcpiErrorIsAFailureWithItsReason) {
    std::mutex mutex;
    std::vector<std::string> seen;
    HttpServerOptions options;
    options.port = 0;
    options.threads = 2;
    HttpServer server(
        options,
        [&](const HttpRequest& r) {
            std::lock_guard lock(mutex);
            seen.push_back(r.method + " " + r.target + " " + r.body);
            const int code = r.target == "/refuse" ? 2001 : 1000;
            return json_response(200,
                                 "{\"status_code\": " + std::to_string(code) + ", \"timestamp\": \"x\"}");
        },
        nullptr);
    auto running = std::async(std::launch::async, [&] { server.run(); });
    const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    {
        ocpi::Outbox outbox(std::chrono::seconds(5));
        for (const char* path : {"/a", "/refuse", "/b"})
            outbox.send({"POST", base + path, {}, "{\"n\":1}", std::chrono::seconds(5)});
        outbox.drain();
        EXPECT_EQ(outbox.sent(), 2u);
        EXPECT_EQ(outbox.failed(), 1u);
        EXPECT_EQ(outbox.failures(), std::vector<std::string>{"POST " + base + "/refuse: OCPI status 2001"});
    }
    EXPECT_EQ(seen,
              (std::vector<std::string>{"POST /a {\"n\":1}", "POST /refuse {\"n\":1}", "POST /b {\"n\":1}"}));
    server.stop();
    running.wait();
}

// Nothing listens on the port: five calls with room for two waiting all end as failures (refused or
// dropped), none sent.
TEST(OcpiOutbox, AnUnreachablePartyFailsEveryCallRefusedOrDropped) {
    ocpi::Outbox outbox(std::chrono::milliseconds(500), 2);
    for (int i = 0; i < 5; ++i)
        outbox.send({"PUT", "http://127.0.0.1:1/x", {}, "{}", std::chrono::seconds(1)});
    outbox.drain();
    EXPECT_EQ(outbox.sent(), 0u);
    EXPECT_EQ(outbox.failed(), 5u);
    EXPECT_EQ(outbox.failures().size(), 5u);
}

}  // namespace
}  // namespace evtwin::serve
