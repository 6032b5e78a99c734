#include "scenario/lua_fields.hpp"

#include "data/number_range.hpp"
#include "scenario/lua_duration.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace evtwin {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

std::string format_number(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

bool site_number(lua_State* L, int index) {
    return lua_type(L, index) == LUA_TNUMBER && in_number_range(lua_tonumber(L, index));
}

}  // namespace

std::optional<std::string> name_on_top(lua_State* L) {
    if (lua_type(L, -1) == LUA_TSTRING) return std::string(lua_tostring(L, -1));
    if (lua_type(L, -1) != LUA_TTABLE) return std::nullopt;
    lua_pushstring(L, "name");
    std::optional<std::string> name;
    if (lua_rawget(L, -2) == LUA_TSTRING) name = lua_tostring(L, -1);
    lua_pop(L, 1);
    return name;
}

std::string describe_value(lua_State* L, int index) {
    switch (lua_type(L, index)) {
        case LUA_TSTRING: {
            std::string text = lua_tostring(L, index);
            if (text.size() > 40) text = text.substr(0, 37) + "...";
            return "string '" + text + "'";
        }
        case LUA_TNUMBER:
            return "number " + format_number(lua_tonumber(L, index));
        case LUA_TBOOLEAN:
            return lua_toboolean(L, index) ? "boolean true" : "boolean false";
        case LUA_TUSERDATA:
            if (to_duration(L, index)) return "a duration";
            return "userdata";
        default:
            return luaL_typename(L, index);
    }
}

LuaFields::LuaFields(lua_State* L, int arg, std::string construct, std::vector<std::string> allowed)
    : L_(L), table_(lua_absindex(L, arg)), construct_(std::move(construct)) {
    std::sort(allowed.begin(), allowed.end());
    const auto allowed_text = [&allowed] {
        std::string text;
        for (const auto& key : allowed) text += (text.empty() ? "" : ", ") + key;
        return text;
    };
    if (lua_type(L, table_) != LUA_TTABLE) {
        fail("expects a table of settings, e.g. " + construct_ + " { " + allowed.front() + " = ... }, got " +
             describe_value(L, table_) + "; allowed keys: " + allowed_text());
    }
    lua_pushnil(L);
    while (lua_next(L, table_) != 0) {
        lua_pop(L, 1);  // the value; the key stays for lua_next
        if (lua_type(L, -1) != LUA_TSTRING) {
            const std::string what = describe_value(L, -1);
            lua_pop(L, 1);
            fail("keys must be names, got " + what + " (a list entry?); allowed keys: " + allowed_text());
        }
        const std::string key = lua_tostring(L, -1);
        if (!std::binary_search(allowed.begin(), allowed.end(), key)) {
            lua_pop(L, 1);
            std::string hint;
            for (const auto& a : allowed) {
                if (lower(a) == lower(key)) hint = " (did you mean '" + a + "'?)";
            }
            fail("unknown key '" + key + "'" + hint + "; allowed keys: " + allowed_text());
        }
    }
}

void LuaFields::fail(const std::string& message) const {
    throw std::runtime_error(construct_ + ": " + message);
}

void LuaFields::fail_type(const char* key, const char* expected) const {
    fail(std::string("'") + key + "' must be " + expected + ", got " + describe_value(L_, -1));
}

int LuaFields::push(const char* key) const {
    lua_pushstring(L_, key);
    return lua_rawget(L_, table_);  // raw: a metatable cannot run code behind a settings table
}

bool LuaFields::has(const char* key) const {
    const bool present = push(key) != LUA_TNIL;
    lua_pop(L_, 1);
    return present;
}

void LuaFields::check(const char* key, double value, Range range) const {
    const auto refuse = [&](const char* must) {
        fail(std::string("'") + key + "' must be " + must + ", got " + format_number(value));
    };
    switch (range) {
        case Range::any:
            break;
        case Range::non_negative:
            if (value < 0) refuse(">= 0");
            break;
        case Range::positive:
            if (value <= 0) refuse("> 0");
            break;
        case Range::unit:
            if (value < 0 || value > 1) refuse("between 0 and 1");
            break;
        case Range::efficiency:
            if (value <= 0 || value > 1) refuse("in (0, 1]");
            break;
    }
}

std::optional<double> LuaFields::number(const char* key, Range range) const {
    if (push(key) == LUA_TNIL) {
        lua_pop(L_, 1);
        return std::nullopt;
    }
    PopOnExit pop{L_};
    if (lua_type(L_, -1) != LUA_TNUMBER) fail_type(key, "a number");
    const double value = lua_tonumber(L_, -1);
    if (!in_number_range(value))
        fail(std::string("'") + key + "' must be a finite number within +-1e15, got " + format_number(value));
    check(key, value, range);
    return value;
}

double LuaFields::number(const char* key, double fallback, Range range) const {
    return number(key, range).value_or(fallback);
}

double LuaFields::required_number(const char* key, Range range) const {
    auto value = number(key, range);
    if (!value) fail(std::string("missing required key '") + key + "' (a number)");
    return *value;
}

std::optional<std::int64_t> LuaFields::integer(const char* key, std::int64_t min) const {
    if (push(key) == LUA_TNIL) {
        lua_pop(L_, 1);
        return std::nullopt;
    }
    PopOnExit pop{L_};
    lua_Integer value = 0;
    if (lua_type(L_, -1) != LUA_TNUMBER) fail_type(key, "an integer");
    if (lua_isinteger(L_, -1)) {
        value = lua_tointeger(L_, -1);
    } else {
        const double x = lua_tonumber(L_, -1);
        if (!(std::floor(x) == x && std::fabs(x) < 9.0e15)) fail_type(key, "an integer");
        value = static_cast<lua_Integer>(x);
    }
    if (value < min)
        fail(std::string("'") + key + "' must be >= " + std::to_string(min) + ", got " +
             std::to_string(value));
    return value;
}

std::optional<std::string> LuaFields::string(const char* key) const {
    if (push(key) == LUA_TNIL) {
        lua_pop(L_, 1);
        return std::nullopt;
    }
    PopOnExit pop{L_};
    if (lua_type(L_, -1) != LUA_TSTRING) fail_type(key, "a string");
    return std::string(lua_tostring(L_, -1));
}

std::string LuaFields::required_string(const char* key) const {
    auto value = string(key);
    if (!value) fail(std::string("missing required key '") + key + "' (a string)");
    if (value->empty()) fail(std::string("'") + key + "' must not be empty");
    return *value;
}

std::optional<bool> LuaFields::boolean(const char* key) const {
    if (push(key) == LUA_TNIL) {
        lua_pop(L_, 1);
        return std::nullopt;
    }
    PopOnExit pop{L_};
    if (lua_type(L_, -1) != LUA_TBOOLEAN) fail_type(key, "true or false");
    return lua_toboolean(L_, -1) != 0;
}

std::optional<Duration> LuaFields::duration(const char* key) const {
    if (push(key) == LUA_TNIL) {
        lua_pop(L_, 1);
        return std::nullopt;
    }
    PopOnExit pop{L_};
    auto value = to_duration(L_, -1);
    if (!value) fail_type(key, "a duration such as minutes(15), hours(24) or days(7)");
    return value;
}

std::optional<std::vector<double>> LuaFields::numbers(const char* key) const {
    if (push(key) == LUA_TNIL) {
        lua_pop(L_, 1);
        return std::nullopt;
    }
    PopOnExit pop{L_};
    if (lua_type(L_, -1) != LUA_TTABLE) fail_type(key, "a list of numbers");
    std::vector<double> values;
    const auto n = static_cast<lua_Integer>(lua_rawlen(L_, -1));
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L_, -1, i);
        PopOnExit pop_item{L_};
        if (!site_number(L_, -1)) {
            fail(std::string("'") + key + "' entry " + std::to_string(i) +
                 " must be a number within +-1e15, got " + describe_value(L_, -1));
        }
        values.push_back(lua_tonumber(L_, -1));
    }
    return values;
}

std::optional<std::vector<std::pair<double, double>>> LuaFields::pairs(const char* key) const {
    if (push(key) == LUA_TNIL) {
        lua_pop(L_, 1);
        return std::nullopt;
    }
    PopOnExit pop{L_};
    if (lua_type(L_, -1) != LUA_TTABLE) fail_type(key, "a list of {x, y} pairs");
    std::vector<std::pair<double, double>> values;
    const auto n = static_cast<lua_Integer>(lua_rawlen(L_, -1));
    for (lua_Integer i = 1; i <= n; ++i) {
        lua_rawgeti(L_, -1, i);
        PopOnExit pop_item{L_};
        const std::string entry = std::string("'") + key + "' entry " + std::to_string(i);
        if (lua_type(L_, -1) != LUA_TTABLE || lua_rawlen(L_, -1) != 2) {
            fail(entry + " must be a pair {x, y}, got " + describe_value(L_, -1));
        }
        double xy[2];
        for (int j = 0; j < 2; ++j) {
            lua_rawgeti(L_, -1, j + 1);
            PopOnExit pop_xy{L_};
            if (!site_number(L_, -1)) {
                fail(entry + " must hold two numbers within +-1e15, got " + describe_value(L_, -1));
            }
            xy[j] = lua_tonumber(L_, -1);
        }
        values.emplace_back(xy[0], xy[1]);
    }
    return values;
}

}  // namespace evtwin
