#pragma once
// A streaming JSON reader (RFC 8259): the text's values reported one by one, in order, to a handler.
// It accepts exactly the texts nlohmann::json accepts, with the same numbers (an integer without
// fraction or exponent is signed when negative, unsigned otherwise, floating when it does not fit),
// but for a NUL byte: nlohmann takes one for the end of the text ("[1]\0x" is [1] to it), this
// reader refuses it, as RFC 8259 does.
//
// The engine's one JSON reader beside nlohmann's, for acnportal's event files: they hold the whole
// document again as one JSON string, and reading them is on the path of every run of a scenario that
// uses one. nlohmann's reader copies each character of a token into a buffer before looking at it;
// this one decodes a string in place and steps over its plain bytes sixteen at a time, which makes
// the difference between the file being a small part of such a run and most of it
// (docs/benchmarks.md). Its equivalence to nlohmann's reader is tested on random and mutated texts
// (tests/data/json_events_test.cpp) and fuzzed (tests/fuzz/json_document_fuzz.cpp).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace evtwin {

class JsonEvents {
public:
    virtual ~JsonEvents() = default;
    virtual void null() = 0;
    virtual void boolean(bool v) = 0;
    virtual void integer(std::int64_t v) = 0;
    virtual void unsigned_integer(std::uint64_t v) = 0;
    virtual void floating(double v) = 0;
    // The string's value, UTF-8; the handler may take it.
    virtual void string(std::string& v) = 0;
    virtual void key(std::string& k) = 0;
    virtual void start_object() = 0;
    virtual void end_object() = 0;
    virtual void start_array() = 0;
    virtual void end_array() = 0;
};

// Reads `text`, one JSON value with whitespace (and a UTF-8 byte order mark) around it. Throws
// DataError "<file>: invalid JSON: <why> at byte N<where>" at the first error; the events before it
// have been reported. `where` says which text the byte is of, when it is not the file's own.
void read_json_events(std::string_view text, JsonEvents& events, const std::filesystem::path& file,
                      std::string_view where = {});

// When `text` starts with a string (a byte order mark and whitespace before it allowed), replaces `text` with
// the value of that JSON string literal, decoded in place, and returns true; returns false and leaves `text`
// as it is otherwise. Throws DataError "<file>: invalid JSON: ..." for a malformed literal or anything but
// whitespace after it, `text` then partly overwritten.
bool unwrap_json_string_document(std::string& text, const std::filesystem::path& file);

}  // namespace evtwin
