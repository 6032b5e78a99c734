// A request's query parameters: percent-decoding, the names a route takes, and each problem a 422
// whose path names the parameter.
#include "serve/net/query_params.hpp"
#include "serve/net/api_error.hpp"

#include <gtest/gtest.h>

namespace evtwin::serve {
namespace {

std::string error_path(const std::function<void()>& f) {
    try {
        f();
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status, 422) << e.what();
        return e.path;
    }
    return "(no error)";
}

TEST(QueryParams, ReadsDecodedTextsIntegersAndInstants) {
    const QueryParams q("/v1/x?name=Skoda%20Enyaq+iV&points=200&from_ms=-5&empty=",
                        {"name", "points", "from_ms", "empty", "to_ms"});
    EXPECT_EQ(q.text("name"), "Skoda Enyaq iV");
    EXPECT_EQ(q.integer("points", 1, 10'000), 200);
    EXPECT_EQ(q.instant("from_ms")->ms(), -5);
    EXPECT_EQ(q.text("empty"), "");
    EXPECT_FALSE(q.text("to_ms"));
    EXPECT_FALSE(QueryParams("/v1/x", {}).text("name"));
}

TEST(QueryParams, EveryProblemNamesItsParameter) {
    EXPECT_EQ(error_path([] { QueryParams("/v1/x?colour=red", {"points"}); }), "colour");
    EXPECT_EQ(error_path([] { QueryParams("/v1/x?points=1&points=2", {"points"}); }), "points");
    EXPECT_EQ(error_path([] { QueryParams("/v1/x?name=%zz", {"name"}); }), "name");
    EXPECT_EQ(error_path([] { QueryParams("/v1/x?name=%4", {"name"}); }), "name");
    EXPECT_EQ(error_path([] { QueryParams("/v1/x?=5", {"name"}); }), "query");
    EXPECT_EQ(error_path([] { QueryParams("/v1/x?%41%=1", {"name"}); }), "query");
    const QueryParams q("/v1/x?points=12x&seed=99999999999999999999&to_ms=1e3", {"points", "seed", "to_ms"});
    EXPECT_EQ(error_path([&] { q.integer("points", 1, 100); }), "points");
    EXPECT_EQ(error_path([&] { q.integer("seed", 0, 1'000'000); }), "seed");
    EXPECT_EQ(error_path([&] { q.instant("to_ms"); }), "to_ms");
    const QueryParams big("/v1/x?points=10001", {"points"});
    EXPECT_EQ(error_path([&] { big.integer("points", 1, 10'000); }), "points");
}

}  // namespace
}  // namespace evtwin::serve
