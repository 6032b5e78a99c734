#pragma once
// A streaming JSON reader (RFC 8259): the text's values reported one by one, in order, to a handler.
// It accepts exactly the texts nlohmann::json accepts, with the same numbers (an integer without
// fraction or exponent is signed when negative, unsigned otherwise, floating when it does not fit),
// but for a NUL byte: nlohmann takes one for the end of the text ("[1]\0x" is [1] to it), this
// reader refuses it, as RFC 8259 does. It reads acnportal's event files in half the time nlohmann's
// own SAX reader takes (it copies every character of a token before looking at it;
// docs/benchmarks.md).
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

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

// A place between two values of a text, where a reader may stop and another start: the comma or
// close that follows a value (after its whitespace), at byte `offset`, with `open` the containers
// open there (outermost first; true: an object). A document can be read in two parts at once.
struct JsonBoundary {
    std::size_t offset = 0;
    std::vector<bool> open;
};

// read_json_events, stopping at `stop` (none: reading the whole text) if the reader gets there:
// returns true then. A reader that passes the offset elsewhere (inside a string, with other
// containers open) reads on to the end and returns false.
bool read_json_events_until(std::string_view text, const JsonBoundary* stop, JsonEvents& events,
                            const std::filesystem::path& file, std::string_view where = {});

// Reads `text` on from the boundary `from`, to its end, as read_json_events would after reading
// what comes before it (which is not looked at). Error offsets are the text's.
void read_json_events_from(std::string_view text, const JsonBoundary& from, JsonEvents& events,
                           const std::filesystem::path& file, std::string_view where = {});

// When `text` starts with a string (a byte order mark and whitespace before it allowed), replaces `text` with
// the value of that JSON string literal, decoded in place, and returns true; returns false and leaves `text`
// as it is otherwise. Throws DataError "<file>: invalid JSON: ..." for a malformed literal or anything but
// whitespace after it, `text` then partly overwritten.
bool unwrap_json_string_document(std::string& text, const std::filesystem::path& file);

// Whether unwrap_json_string_document would find a string at the start of `text`.
bool starts_with_json_string(std::string_view text);

// unwrap_json_string_document in two pieces that two threads may decode at once, for a text that
// starts with a string: the literal's bytes before `split`, decoded in place from the text's start
// (returns their decoded size), and those from `split` on, decoded in place from `split` (returns
// theirs). `split` cuts no escape or UTF-8 sequence, and its byte is no whitespace. Each throws the
// DataError unwrap_json_string_document would throw for its piece's bytes: the head's first, as
// unwrap_json_string_document would meet it first. Each reads only its own piece.
std::size_t unwrap_json_string_head(std::string& text, std::size_t split, const std::filesystem::path& file);
std::size_t unwrap_json_string_tail(std::string& text, std::size_t split, const std::filesystem::path& file);

}  // namespace evtwin
