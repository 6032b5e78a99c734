// The charge point a WebSocket path names: exactly /ocpp/{id}, the id percent-decoded.
#include "serve/csms/charge_point_path.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

TEST(ChargePointPath, TheOneSegmentAfterTheOcppPrefixPercentDecoded) {
    EXPECT_EQ(charge_point_of_path("/ocpp/CP16"), "CP16");
    EXPECT_EQ(charge_point_of_path("/ocpp/CP%2D16"), "CP-16");
    EXPECT_EQ(charge_point_of_path("/ocpp/CP%2d16?token=x"), "CP-16");
    EXPECT_EQ(charge_point_of_path("/ocpp/CP%2016"), "CP 16");
    EXPECT_EQ(charge_point_of_path("/ocpp/..."), "...");
}

TEST(ChargePointPath, AnyOtherPathNamesNone) {
    for (const char* path : {"/ocpp/x/y/CP16", "/ocpp/../../CP16",
                             "/ocpp/CP16/",    "/ocpp//CP16",
                             "//ocpp/CP16",    "/ocpp/",
                             "/ocpp",          "/ocppCP16",
                             "/v1/ocpp/CP16",  "/OCPP/CP16",
                             "/ocpp/..",       "/ocpp/.",
                             "/ocpp/%2e%2e",   "/ocpp/x%2FCP16",
                             "/ocpp/%2F",      "/ocpp/CP%",
                             "/ocpp/CP%1",     "/ocpp/CP%zz16",
                             "/ocpp/CP%0016",  "/ocpp/CP%0A16",
                             "/ocpp/?CP16",    ""})
        EXPECT_EQ(charge_point_of_path(path), "") << path;
}

}  // namespace
}  // namespace evtwin::serve
