#pragma once
// Reads the table given to a DSL constructor such as charger { ... }: every key must be one of the
// allowed ones, every value of the right type and range. Failures throw std::runtime_error with
// "<construct>: <what is wrong>"; lua_guarded adds the file:line of the call.
#include <evtwin/time.hpp>

#include <lua.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace evtwin {

enum class Range {
    any,           // any finite number
    non_negative,  // >= 0
    positive,      // > 0
    unit,          // 0..1 (state of charge, fractions)
    efficiency,    // (0, 1]
};

class LuaFields {
public:
    // Checks that argument `arg` is a table and that its keys are all in `allowed`.
    LuaFields(lua_State* L, int arg, std::string construct, std::vector<std::string> allowed);

    const std::string& construct() const { return construct_; }
    bool has(const char* key) const;

    std::optional<double> number(const char* key, Range range = Range::any) const;
    double number(const char* key, double fallback, Range range) const;
    double required_number(const char* key, Range range) const;
    std::optional<std::int64_t> integer(const char* key, std::int64_t min) const;
    std::optional<std::string> string(const char* key) const;
    std::string required_string(const char* key) const;
    std::optional<bool> boolean(const char* key) const;
    std::optional<Duration> duration(const char* key) const;
    // A list of numbers, e.g. setpoints_kw = {0, 3.7, 7.4, 11}.
    std::optional<std::vector<double>> numbers(const char* key) const;
    // A list of {x, y} pairs, e.g. curve = {{0, 1}, {0.8, 1}, {1, 0.2}}.
    std::optional<std::vector<std::pair<double, double>>> pairs(const char* key) const;

    // Pushes the raw value of `key` (nil when absent); the caller pops it.
    int push(const char* key) const;

    [[noreturn]] void fail(const std::string& message) const;
    [[noreturn]] void fail_type(const char* key, const char* expected) const;  // value of `key` is on top
    void check(const char* key, double value, Range range) const;

private:
    lua_State* L_;
    int table_;
    std::string construct_;
};

// "number", "string", ... plus a short rendering of the value at `index`, for messages.
std::string describe_value(lua_State* L, int index);

// The name the value on top of the stack gives: a string, or a table with a string `name` (what
// grid{}, charger{} and the like return); none for anything else. The stack is left as it was.
std::optional<std::string> name_on_top(lua_State* L);

// Pops the value on top when leaving scope, also when a check throws.
struct PopOnExit {
    lua_State* L;
    ~PopOnExit() { lua_pop(L, 1); }
};

}  // namespace evtwin
