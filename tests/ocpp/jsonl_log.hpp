#pragma once
// OCPP logs written by the tests in the JSON Lines format, and their import.
#include "ocpp/import.hpp"

#include <string>

namespace evtwin::test {

// One JSON Lines record without direction: the reconstruction infers it.
inline std::string rec(const std::string& ts, const std::string& frame, const std::string& cs = "CP1") {
    return R"({"ts":")" + ts + R"(","cs":")" + cs + R"(","frame":)" + frame + "}\n";
}

inline ocpp::Import jsonl(const std::string& text) {
    ocpp::ReadOptions o;
    o.format = ocpp::Format::jsonl;
    return ocpp::import_text("t.jsonl", text, o);
}

}  // namespace evtwin::test
