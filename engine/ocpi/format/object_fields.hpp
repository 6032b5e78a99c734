#pragma once
// Reading one OCPI object's fields from JSON with the checks the specification gives (required
// fields, types, string lengths, enumeration values, DateTime format). A failure throws DataError
// naming the document, the object and the field, and what was expected:
//   "cdrs.json: CDR 3 (id 'X12'): cdr_token.uid: expected a string of at most 36 characters, got 40".
#include <evtwin/errors.hpp>
#include <evtwin/time.hpp>

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace evtwin::ocpi {

// CiString fields are printable ASCII; string fields printable UTF-8.
enum class Text { ci_string, string };

class ObjectFields {
public:
    // `object` must outlive this. `where` names the document and object ("cdrs.json: CDR 3 (id
    // 'X12')"); `path` the field path inside the object that holds these fields ("" at its top).
    ObjectFields(const nlohmann::json& object, std::string where, std::string path = "");

    std::string required_string(const char* key, std::size_t max_length, Text kind = Text::ci_string) const;
    std::string optional_string(const char* key, std::size_t max_length, Text kind = Text::ci_string) const;
    std::string required_enum(const char* key, std::initializer_list<const char*> values) const;
    std::string optional_enum(const char* key, std::initializer_list<const char*> values) const;
    double required_number(const char* key) const;
    std::optional<double> optional_number(const char* key) const;
    int required_int(const char* key, int min = 0) const;
    std::optional<int> optional_int(const char* key, int min = 0) const;
    std::optional<bool> optional_bool(const char* key) const;
    Time required_datetime(const char* key) const;
    std::optional<Time> optional_datetime(const char* key) const;

    bool has(const char* key) const;
    ObjectFields object(const char* key) const;  // required
    // The elements of array `key` (absent: none), at least `min`; each checked to be an object when
    // `objects`.
    std::vector<ObjectFields> objects(const char* key, std::size_t min = 0) const;
    std::vector<std::string> strings(const char* key, std::size_t max_length) const;

    [[noreturn]] void fail(const char* key, const std::string& expected) const;
    const std::string& where() const { return where_; }

private:
    const nlohmann::json* value(const char* key) const;  // null when absent or JSON null
    std::string field(const char* key) const;
    void check_text(const char* key, const std::string& text, std::size_t max_length, Text kind) const;

    const nlohmann::json& object_;
    std::string where_;
    std::string path_;
};

}  // namespace evtwin::ocpi
