// What a scenario reads from outside itself: parameters from the command line (param) and files
// of the data folder (data).
#include "scenario/dsl_support.hpp"
#include "scenario/lua_sandbox.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace evtwin {

namespace {

bool parse_bool(const std::string& text, bool& out) {
    for (const char* yes : {"true", "1", "yes", "on"}) {
        if (text == yes) return out = true, true;
    }
    for (const char* no : {"false", "0", "no", "off"}) {
        if (text == no) return out = false, true;
    }
    return false;
}

}  // namespace

int dsl_param(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        if (lua_type(L, 1) != LUA_TSTRING) {
            throw std::runtime_error(
                "param: expects a name and a default, e.g. param(\"transformer_kw\", 150), got " +
                describe_value(L, 1));
        }
        const std::string name = lua_tostring(L, 1);
        const int type = lua_type(L, 2);
        if (type != LUA_TNONE && type != LUA_TNIL && type != LUA_TNUMBER && type != LUA_TSTRING &&
            type != LUA_TBOOLEAN) {
            throw std::runtime_error("param '" + name +
                                     "': the default must be a number, string or boolean, got " +
                                     describe_value(L, 2));
        }
        c.params_read.insert(name);
        auto it = c.params->find(name);
        if (it == c.params->end()) {
            if (type == LUA_TNONE || type == LUA_TNIL) {
                throw std::runtime_error("param '" + name +
                                         "' has no default; give it on the command line: -D " + name +
                                         "=value");
            }
            lua_pushvalue(L, 2);
            return 1;
        }
        const std::string& text = it->second;
        const std::string given = "-D " + name + "=" + text;
        if (type == LUA_TNUMBER) {
            lua_Integer integer = 0;
            const char* end = text.data() + text.size();
            auto [ptr, ec] = std::from_chars(text.data(), end, integer);
            if (ec == std::errc() && ptr == end) {
                lua_pushinteger(L, integer);
                return 1;
            }
            char* stop = nullptr;
            errno = 0;
            const double x = std::strtod(text.c_str(), &stop);
            if (text.empty() || stop != text.c_str() + text.size() || errno != 0 || !std::isfinite(x)) {
                throw std::runtime_error("param '" + name + "': " + given +
                                         " is not a number (the default is " + describe_value(L, 2) + ")");
            }
            lua_pushnumber(L, x);
        } else if (type == LUA_TBOOLEAN) {
            bool value = false;
            if (!parse_bool(text, value)) {
                throw std::runtime_error("param '" + name + "': " + given +
                                         " is not a boolean (true/false, 1/0, yes/no)");
            }
            lua_pushboolean(L, value);
        } else {
            lua_pushstring(L, text.c_str());
        }
        return 1;
    });
}

int dsl_data(lua_State* L) {
    return lua_guarded(L, [L] {
        DslContext& c = dsl_context(L);
        if (lua_type(L, 1) != LUA_TSTRING) {
            throw std::runtime_error(
                "data: expects a path under the data folder, e.g. data(\"prices/nl_day_ahead_2016.csv\"), "
                "got " +
                describe_value(L, 1));
        }
        const std::filesystem::path relative(lua_tostring(L, 1));
        if (relative.empty() || relative.is_absolute()) {
            throw std::runtime_error("data: expects a path relative to the data folder, got '" +
                                     relative.string() + "'");
        }
        const auto path = (c.data_root / relative).lexically_normal();
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            throw std::runtime_error("data: no file '" + relative.string() + "' in the data folder " +
                                     c.data_root.string() + " (set it with --data-dir or EVTWIN_DATA)");
        }
        lua_pushstring(L, path.string().c_str());
        return 1;
    });
}

}  // namespace evtwin
