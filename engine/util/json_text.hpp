#pragma once
// JSON text written as it goes, without a tree: for documents written often and from data at hand
// (the runs row's config_json). Members come in the order the caller gives; a number that is not
// finite is written as null, and a float keeps a fraction or an exponent (0.0, not 0), as
// nlohmann::json's dump() writes them. A string's bytes that are not UTF-8 are written as U+FFFD
// (where dump() throws): a scenario's names are whatever bytes its Lua strings hold.
#include <charconv>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>

namespace evtwin {

class JsonText {
public:
    const std::string& text() const { return out_; }

    JsonText& open_object() { return open('{'); }
    JsonText& close_object() { return close('}'); }
    JsonText& open_array() { return open('['); }
    JsonText& close_array() { return close(']'); }
    JsonText& key(std::string_view name);

    JsonText& value(std::string_view s);
    JsonText& value(const char* s) { return value(std::string_view(s)); }
    JsonText& value(const std::string& s) { return value(std::string_view(s)); }
    JsonText& value(bool b);
    JsonText& value(double v);
    template <class Integer>
    requires std::is_integral_v<Integer> &&(!std::is_same_v<Integer, bool>)JsonText& value(Integer v) {
        separate();
        char buffer[24];
        out_.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr);
        return *this;
    }
    JsonText& null();

    template <class T>
    JsonText& member(std::string_view name, const T& v) {
        return key(name).value(v);
    }
    JsonText& member(std::string_view name, const std::map<std::string, std::string>& object);

private:
    JsonText& open(char bracket);
    JsonText& close(char bracket);
    void separate();
    void string(std::string_view s);

    std::string out_;
    bool first_ = true;  // no value yet in the container just opened
    bool after_key_ = false;
};

}  // namespace evtwin
