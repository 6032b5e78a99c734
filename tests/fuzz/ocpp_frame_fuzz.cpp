// libFuzzer target of what the central system does with a charge point's WebSocket message before it
// applies it, in both OCPP versions: the frame read (parse_message, which never throws), a CALL's
// payload checked against the official schemas (OcppValidator), a CALLRESULT checked as the answer
// to a SetChargingProfile. A message that is refused must be answered with a CALLERROR frame that is
// JSON, carries a code of the version's table, and repeats the message id when it could be read; an
// exception, a crash, a sanitizer report or a hang (libFuzzer's -timeout) is a bug. The schemas are
// read from $EVTWIN_DATA/ocpp/schemas. Built with -DEVTWIN_FUZZ=ON and clang (scripts/fuzz runs it).
#include "serve/csms/ocpp_rpc.hpp"
#include "serve/csms/ocpp_validator.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using evtwin::serve::OcppVersion;
using nlohmann::json;

[[noreturn]] void bug(const char* what, const std::string& frame) {
    std::fprintf(stderr, "ocpp_frame_fuzz: %s: %s\n", what, frame.c_str());
    std::abort();
}

// The CALLERROR a refused message is answered with: [4, id, code, description, details].
void check_error_frame(OcppVersion v, const std::string& frame, const std::string* id) {
    const json f = json::parse(frame, nullptr, false);
    if (!f.is_array() || f.size() != 5 || f[0] != 4) bug("not a CALLERROR frame", frame);
    if (!f[1].is_string() || (id && f[1].get<std::string>() != *id)) bug("not the message's id", frame);
    if (!f[2].is_string() || !evtwin::serve::is_error_code(v, f[2].get<std::string>()))
        bug("not an error code of the version", frame);
    if (!f[3].is_string() || !f[4].is_object()) bug("no description or details", frame);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static evtwin::serve::OcppValidator validator;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const OcppVersion v : {OcppVersion::v16, OcppVersion::v201, OcppVersion::v21}) {
        const evtwin::serve::Parsed parsed = evtwin::serve::parse_message(v, text);
        if (!parsed) {
            if (parsed.answer) check_error_frame(v, parsed.reply, nullptr);
            continue;
        }
        const evtwin::serve::Incoming& m = *parsed.message;
        if (m.type == evtwin::ocpp::MessageType::call) {
            if (const auto error = validator.check_call(v, m.action, m.payload))
                check_error_frame(v, evtwin::serve::error_frame(m.id, *error), &m.id);
        } else if (m.type == evtwin::ocpp::MessageType::call_result) {
            validator.check_result(v, "SetChargingProfile", m.payload);
        }
    }
    return 0;
}
