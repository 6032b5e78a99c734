// Live mode's OCPI credentials and versions, end to end: a scripted eMSP registers with token A over
// real HTTP, the CPO reads the eMSP's versions and details with token B and issues token C, which
// from then on is the only way in; PUT replaces it, DELETE unregisters; a wrong token is refused
// with HTTP 401 and an OCPI envelope.
#include "ocpi_emsp.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

using nlohmann::json;
using ocpi_test::Emsp;
using ocpi_test::kTokenA;
using ocpi_test::kTokenB;
using ocpi_test::OcpiSite;
using ocpi_test::Transcript;

TEST(OcpiCredentials, TokenARegistersOnceAndTokenCOpensTheModules) {
    Transcript transcript;
    Emsp emsp(transcript);
    OcpiSite site(transcript);

    // Token A opens the versions and the credentials, nothing else.
    const auto versions = site.call("GET", "/ocpi/versions", kTokenA);
    ASSERT_EQ(versions.status, 200) << versions.body;
    const json v = json::parse(versions.body);
    EXPECT_EQ(v["status_code"], 1000);
    EXPECT_TRUE(v.contains("timestamp"));
    ASSERT_EQ(v["data"].size(), 1u);
    EXPECT_EQ(v["data"][0]["version"], "2.2.1");
    EXPECT_EQ(v["data"][0]["url"], site.base() + "/ocpi/2.2.1");
    EXPECT_EQ(site.call("GET", "/ocpi/2.2.1/locations", kTokenA).status, 401);

    const auto registered = site.call("POST", "/ocpi/2.2.1/credentials", kTokenA, emsp.credentials().dump());
    ASSERT_EQ(registered.status, 200) << registered.body;
    const json mine = json::parse(registered.body)["data"];
    const std::string token_c = mine["token"].get<std::string>();
    EXPECT_EQ(token_c.size(), 64u);  // 32 random bytes as hex
    EXPECT_NE(token_c, kTokenA);
    EXPECT_EQ(mine["url"], site.base() + "/ocpi/versions");
    EXPECT_EQ(mine["roles"][0]["role"], "CPO");
    EXPECT_EQ(mine["roles"][0]["country_code"], "DE");
    EXPECT_EQ(mine["roles"][0]["party_id"], "EVT");
    // The CPO read the eMSP's versions, then its 2.2.1 details, each with token B as 2.2.1 sends it.
    const auto asked = emsp.received();
    ASSERT_EQ(asked.size(), 2u);
    EXPECT_EQ(asked[0].method + " " + asked[0].target, "GET /emsp/versions");
    EXPECT_EQ(asked[1].method + " " + asked[1].target, "GET /emsp/2.2.1");
    for (const auto& r : asked) EXPECT_EQ(r.authorization, "Token " + test::base64(kTokenB));

    // Token C works; token A is spent; a second POST is for PUT.
    EXPECT_EQ(site.call("GET", "/ocpi/2.2.1/locations", token_c).status, 200);
    EXPECT_EQ(site.call("GET", "/ocpi/versions", kTokenA).status, 401);
    EXPECT_EQ(site.call("POST", "/ocpi/2.2.1/credentials", kTokenA, emsp.credentials().dump()).status, 401);
    EXPECT_EQ(site.call("POST", "/ocpi/2.2.1/credentials", token_c, emsp.credentials().dump()).status, 405);
    const auto got = site.call("GET", "/ocpi/2.2.1/credentials", token_c);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(json::parse(got.body)["data"]["token"], token_c);

    // PUT: a new token B, the handshake again, a new token C; the old one no longer opens anything.
    emsp.set_token_b("emsp-token-B2-77aa");
    const auto updated =
        site.call("PUT", "/ocpi/2.2.1/credentials", token_c, emsp.credentials("emsp-token-B2-77aa").dump());
    ASSERT_EQ(updated.status, 200) << updated.body;
    const std::string token_c2 = json::parse(updated.body)["data"]["token"].get<std::string>();
    EXPECT_NE(token_c2, token_c);
    EXPECT_EQ(emsp.received().back().authorization, "Token " + test::base64("emsp-token-B2-77aa"));
    EXPECT_EQ(site.call("GET", "/ocpi/2.2.1/tariffs", token_c).status, 401);
    EXPECT_EQ(site.call("GET", "/ocpi/2.2.1/tariffs", token_c2).status, 200);

    // DELETE unregisters: the token is unknown from then on, and a second DELETE has nothing to end.
    EXPECT_EQ(site.call("DELETE", "/ocpi/2.2.1/credentials", token_c2).status, 200);
    EXPECT_EQ(site.call("GET", "/ocpi/2.2.1/tariffs", token_c2).status, 401);
    EXPECT_EQ(site.call("DELETE", "/ocpi/2.2.1/credentials", token_c2).status, 401);
}

// A restarted server goes on with its registrations: token C still opens the modules, token A stays
// spent, and the eMSP's token B is still what the CPO calls it with.
TEST(OcpiCredentials, RegistrationsSurviveARestart) {
    Transcript transcript;
    Emsp emsp(transcript);
    std::filesystem::path db;
    std::string token_c;
    {
        OcpiSite site(transcript);
        db = site.db();
        token_c = ocpi_test::register_emsp(site, emsp);
        site.stop();
    }
    OcpiSite again(transcript, true, "uncontrolled", db);
    EXPECT_EQ(again.call("GET", "/ocpi/2.2.1/tariffs", token_c).status, 200);
    EXPECT_EQ(again.call("GET", "/ocpi/versions", kTokenA).status, 401);
    const auto result =
        again.call("PUT", "/ocpi/2.2.1/chargingprofiles/9", token_c,
                   json{{"charging_profile",
                         {{"charging_rate_unit", "W"},
                          {"charging_profile_period", json::array({{{"start_period", 0}, {"limit", 1}}})}}},
                        {"response_url", emsp.base() + "/results/after-restart"}}
                       .dump());
    EXPECT_EQ(json::parse(result.body)["data"]["result"], "UNKNOWN_SESSION");
    // Only the tokens' hashes are stored.
    sqlite::Db results(db, sqlite::Db::Mode::read_only);
    sqlite::Stmt row(results, "SELECT token_c_sha256, token_b FROM ocpi_parties");
    ASSERT_TRUE(row.step());
    EXPECT_EQ(row.text(0), ocpi::sha256_hex(token_c));
    EXPECT_EQ(row.text(1), kTokenB);
    sqlite::Stmt spent(results, "SELECT token_sha256 FROM ocpi_spent_tokens");
    ASSERT_TRUE(spent.step());
    EXPECT_EQ(spent.text(0), ocpi::sha256_hex(kTokenA));
}

TEST(OcpiCredentials, AWrongOrMissingTokenIsRefusedWith401AndAnOcpiEnvelope) {
    Transcript transcript;
    OcpiSite site(transcript);
    for (const std::string& token : {std::string("not-a-token"), std::string()}) {
        const auto reply = site.call("GET", "/ocpi/versions", token);
        EXPECT_EQ(reply.status, 401);
        const json e = json::parse(reply.body);
        EXPECT_EQ(e["status_code"], 2000);
        EXPECT_FALSE(e["status_message"].get<std::string>().empty());
        EXPECT_TRUE(e.contains("timestamp"));
        EXPECT_FALSE(e.contains("data"));
    }
    // A token sent unencoded, as 2.1.1 and 2.2 parties do, is still read.
    const auto plain = test::http_request_with(site.port(), "GET", "/ocpi/versions", "",
                                               {std::string("Authorization: Token ") + kTokenA});
    EXPECT_EQ(plain.status, 200);
}

TEST(OcpiCredentials, AnEmspWhoseVersionsCannotBeReadIsRefusedWith3001AndKeepsTokenA) {
    Transcript transcript;
    Emsp emsp(transcript);
    OcpiSite site(transcript);
    json credentials = emsp.credentials();
    credentials["url"] = emsp.base() + "/2.2.1";  // its details, not a versions list
    const auto reply = site.call("POST", "/ocpi/2.2.1/credentials", kTokenA, credentials.dump());
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(json::parse(reply.body)["status_code"], 3001);
    // Nothing registered: token A still registers.
    EXPECT_EQ(site.call("POST", "/ocpi/2.2.1/credentials", kTokenA, emsp.credentials().dump()).status, 200);
}

TEST(OcpiCredentials, VersionDetailsListTheCpoModulesWithTheirRoles) {
    Transcript transcript;
    OcpiSite site(transcript);
    const auto reply = site.call("GET", "/ocpi/2.2.1", kTokenA);
    ASSERT_EQ(reply.status, 200);
    const json d = json::parse(reply.body)["data"];
    EXPECT_EQ(d["version"], "2.2.1");
    std::vector<std::string> listed;
    for (const json& e : d["endpoints"]) {
        listed.push_back(e["identifier"].get<std::string>() + " " + e["role"].get<std::string>());
        EXPECT_EQ(e["url"], site.base() + "/ocpi/2.2.1/" + e["identifier"].get<std::string>());
    }
    EXPECT_EQ(listed,
              (std::vector<std::string>{"credentials SENDER", "locations SENDER", "sessions SENDER",
                                        "cdrs SENDER", "tariffs SENDER", "chargingprofiles RECEIVER"}));
    EXPECT_EQ(site.call("GET", "/ocpi/2.1.1", kTokenA).status, 404);
}

}  // namespace
}  // namespace evtwin::serve
