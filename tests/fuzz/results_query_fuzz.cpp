// libFuzzer target of the results routes' query strings (engine/serve/net/query_params.cpp):
// any bytes after '?' are split, percent-decoded and read as the routes read them. Properties: a
// refusal is an ApiError 422 whose path is a parameter's name (or "query" for a bad name); a value
// read as an integer is within its bounds; a decoded value is never longer than what it came from.
// A crash, a sanitizer report or a hang is a bug. Built with -DEVTWIN_FUZZ=ON and clang.
#include "serve/net/api_error.hpp"
#include "serve/net/query_params.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

[[noreturn]] void bug(const char* what, const std::string& detail) {
    std::fprintf(stderr, "results_query_fuzz: %s: %s\n", what, detail.c_str());
    std::abort();
}

void read_all(const std::string& target) {
    const evtwin::serve::QueryParams query(target, {"from_ms", "to_ms", "points", "date", "kind", "vehicle"});
    if (const auto points = query.integer("points", 1, 10'000); points && (*points < 1 || *points > 10'000))
        bug("points out of its bounds", std::to_string(*points));
    query.instant("from_ms");
    query.instant("to_ms");
    for (const char* name : {"date", "kind", "vehicle"})
        if (const auto text = query.text(name); text && text->size() > target.size())
            bug("a decoded value longer than the target", *text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string target =
        "/v1/results/runs/1-1/power?" + std::string(reinterpret_cast<const char*>(data), size);
    try {
        read_all(target);
    } catch (const evtwin::serve::ApiError& e) {
        if (e.status != 422 || e.path.empty()) bug("a refusal that names no parameter", e.what());
    }
    return 0;
}
