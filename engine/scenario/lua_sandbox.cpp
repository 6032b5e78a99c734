#include "scenario/lua_sandbox.hpp"

#include "scenario/scenario_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace evtwin {
namespace {

constexpr int kHookEvery = 1000;  // instructions between two budget checks
const char* const kLoadedKey = "evtwin.loaded";

std::string read_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ScenarioError(file.string() + ": cannot open the file");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
    if (!text.empty() && text[0] == '#') text.insert(0, "--");  // a "#!" line, kept as a comment
    return text;
}

bool valid_module_name(const std::string& name) {
    if (name.empty() || name.front() == '.' || name.back() == '.') return false;
    if (name.find("..") != std::string::npos) return false;
    return std::all_of(name.begin(), name.end(),
                       [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '.'; });
}

std::string folders_text(const std::vector<std::filesystem::path>& dirs) {
    std::string text;
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        if (i > 0) text += i + 1 == dirs.size() ? " or " : ", ";
        text += dirs[i].string() + "/";
    }
    return text;
}

// Lua's own math.random, on evtwin's generator: random() in [0,1), random(m) in [1,m],
// random(m,n) in [m,n], random(0) a full-range integer.
int lua_random(lua_State* L) {
    Rng& rng = LuaSandbox::of(L).rng();
    lua_Integer low = 1;
    lua_Integer up = 0;
    switch (lua_gettop(L)) {
        case 0:
            lua_pushnumber(L, static_cast<lua_Number>(rng.uniform()));
            return 1;
        case 1:
            up = luaL_checkinteger(L, 1);
            if (up == 0) {
                lua_pushinteger(L, static_cast<lua_Integer>(rng.next()));
                return 1;
            }
            break;
        case 2:
            low = luaL_checkinteger(L, 1);
            up = luaL_checkinteger(L, 2);
            break;
        default:
            return luaL_error(L, "wrong number of arguments");
    }
    luaL_argcheck(L, low <= up, lua_gettop(L), "interval is empty");
    const auto range = static_cast<std::uint64_t>(up) - static_cast<std::uint64_t>(low);
    std::uint64_t r = rng.next();
    if ((range & (range + 1)) == 0) {
        r &= range;
    } else {  // rejection on the smallest covering mask, so every value is equally likely
        std::uint64_t mask = range;
        for (int shift = 1; shift < 64; shift *= 2) mask |= mask >> shift;
        while ((r &= mask) > range) r = rng.next();
    }
    lua_pushinteger(L, static_cast<lua_Integer>(static_cast<std::uint64_t>(low) + r));
    return 1;
}

int lua_randomseed(lua_State* L) {
    LuaSandbox& sandbox = LuaSandbox::of(L);
    if (lua_isnoneornil(L, 1)) {
        sandbox.reseed(sandbox.seed());
    } else if (lua_isinteger(L, 1)) {
        sandbox.rng() = Rng::stream(static_cast<std::uint64_t>(lua_tointeger(L, 1)), "lua");
    } else {
        const double x = luaL_checknumber(L, 1);
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, sizeof bits);
        sandbox.rng() = Rng::stream(bits, "lua");
    }
    return 0;
}

int lua_require(lua_State* L) {
    return lua_guarded(L, [L]() -> int {
        LuaSandbox& sandbox = LuaSandbox::of(L);
        if (lua_type(L, 1) != LUA_TSTRING)
            throw std::runtime_error("require: expects a module name (a string)");
        const std::string name = lua_tostring(L, 1);
        if (!valid_module_name(name)) {
            throw std::runtime_error(
                "require: module name '" + name +
                "' is not allowed: use letters, digits, '_' and '.', no \"..\"; modules load from " +
                folders_text(sandbox.lib_dirs()));
        }
        lua_getfield(L, LUA_REGISTRYINDEX, kLoadedKey);
        const int loaded = lua_gettop(L);
        lua_getfield(L, loaded, name.c_str());
        if (lua_islightuserdata(L, -1))
            throw std::runtime_error("require: module '" + name + "' requires itself (a cycle)");
        if (!lua_isnil(L, -1)) return 1;
        lua_pop(L, 1);

        std::string relative = name;
        std::replace(relative.begin(), relative.end(), '.', '/');
        relative += ".lua";
        for (const auto& dir : sandbox.lib_dirs()) {
            const auto file = (dir / relative).lexically_normal();
            std::error_code ec;
            if (!std::filesystem::is_regular_file(file, ec)) continue;
            if (sandbox.load_chunk(file) != LUA_OK) return lua_error(L);  // syntax error in the module
            lua_pushlightuserdata(L, &sandbox);  // marks "being loaded" to catch cycles
            lua_setfield(L, loaded, name.c_str());
            lua_pushstring(L, name.c_str());
            if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
                lua_pushnil(L);  // a failed module is not "being loaded" any more
                lua_setfield(L, loaded, name.c_str());
                return lua_error(L);
            }
            if (lua_isnil(L, -1)) {
                lua_pop(L, 1);
                lua_pushboolean(L, 1);
            }
            lua_pushvalue(L, -1);
            lua_setfield(L, loaded, name.c_str());
            return 1;
        }
        throw std::runtime_error("require: module '" + name + "' not found: looked for " + relative + " in " +
                                 folders_text(sandbox.lib_dirs()));
    });
}

}  // namespace

LuaSandbox::LuaSandbox(std::vector<std::filesystem::path> lib_dirs, std::filesystem::path helper_dir,
                       SandboxLimits limits, std::uint64_t seed)
    : lib_dirs_(std::move(lib_dirs)),
      limits_(limits),
      seed_(seed),
      rng_(Rng::stream(seed, "lua")),
      helper_dir_(std::move(helper_dir)) {
    L_ = lua_newstate(&LuaSandbox::allocate, this);
    if (L_ == nullptr) throw ScenarioError("cannot create a Lua state");
    *static_cast<LuaSandbox**>(lua_getextraspace(L_)) = this;
    // An error outside any protected call would abort the process; make it an exception instead.
    lua_atpanic(L_, [](lua_State* L) -> int {
        const char* text = lua_tostring(L, -1);
        throw ScenarioError(std::string("Lua error outside a protected call: ") +
                            (text != nullptr ? text : "?"));
    });
    open_libraries();
    lua_sethook(L_, &LuaSandbox::count_hook, LUA_MASKCOUNT, kHookEvery);
}

LuaSandbox::~LuaSandbox() {
    if (L_ != nullptr) lua_close(L_);
}

LuaSandbox& LuaSandbox::of(lua_State* L) {
    return **static_cast<LuaSandbox**>(lua_getextraspace(L));
}

void LuaSandbox::reseed(std::uint64_t seed) {
    seed_ = seed;
    rng_ = Rng::stream(seed, "lua");
}

void* LuaSandbox::allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
    auto* self = static_cast<LuaSandbox*>(ud);
    const std::size_t old = ptr != nullptr ? osize : 0;  // with ptr == nullptr, osize is a type tag
    if (nsize == 0) {
        std::free(ptr);
        self->used_bytes_ -= old;
        return nullptr;
    }
    if (self->limited_ && nsize > old && self->used_bytes_ + (nsize - old) > self->limits_.memory_bytes)
        return nullptr;
    void* block = std::realloc(ptr, nsize);
    if (block == nullptr) return nullptr;
    self->used_bytes_ = self->used_bytes_ - old + nsize;
    return block;
}

void LuaSandbox::count_hook(lua_State* L, lua_Debug*) {
    LuaSandbox& self = of(L);
    self.executed_ += kHookEvery;
    if (self.executed_ <= self.limits_.instructions) return;
    // From now on every instruction fails, so a pcall in a loop cannot swallow the stop.
    lua_sethook(L, &LuaSandbox::count_hook, LUA_MASKCOUNT, 1);
    const std::string message = self.where(L) + "the script ran more than " +
                                std::to_string(self.limits_.instructions) +
                                " Lua instructions and was stopped (an endless loop?)";
    lua_pushlstring(L, message.data(), message.size());
    lua_error(L);
}

void LuaSandbox::open_libraries() {
    const luaL_Reg libraries[] = {{LUA_GNAME, luaopen_base},
                                  {LUA_TABLIBNAME, luaopen_table},
                                  {LUA_STRLIBNAME, luaopen_string},
                                  {LUA_MATHLIBNAME, luaopen_math},
                                  {LUA_UTF8LIBNAME, luaopen_utf8}};
    for (const auto& lib : libraries) {
        luaL_requiref(L_, lib.name, lib.func, 1);
        lua_pop(L_, 1);
    }
    for (const char* name : {"dofile", "loadfile", "load", "collectgarbage"}) {
        lua_pushnil(L_);
        lua_setglobal(L_, name);
    }
    lua_getglobal(L_, LUA_STRLIBNAME);
    lua_pushnil(L_);
    lua_setfield(L_, -2, "dump");
    lua_pop(L_, 1);

    lua_getglobal(L_, LUA_MATHLIBNAME);
    lua_pushcfunction(L_, lua_random);
    lua_setfield(L_, -2, "random");
    lua_pushcfunction(L_, lua_randomseed);
    lua_setfield(L_, -2, "randomseed");
    lua_pop(L_, 1);

    lua_newtable(L_);
    lua_setfield(L_, LUA_REGISTRYINDEX, kLoadedKey);
    lua_register(L_, "require", lua_require);
}

int LuaSandbox::load_chunk(const std::filesystem::path& file) {
    const std::string text = read_text(file);
    const std::string shown = file.lexically_normal().string();
    // A short chunk name keeps Lua's own messages untruncated; fix_location maps it back.
    std::string alias = file.filename().string();
    if (alias.size() > 40) alias = "chunk.lua";
    const std::string base = alias;
    for (int n = 2; alias_to_display_.count(alias) != 0 && alias_to_display_[alias] != shown; ++n) {
        alias = base + "~" + std::to_string(n);
    }
    alias_to_display_[alias] = shown;
    const auto parent = file.lexically_normal().parent_path();
    std::error_code ec;
    if (!helper_dir_.empty() && std::filesystem::equivalent(parent, helper_dir_, ec))
        helper_aliases_.insert(alias);
    const std::string chunkname = "@" + alias;
    return luaL_loadbufferx(L_, text.data(), text.size(), chunkname.c_str(), "t");
}

void LuaSandbox::run_file(const std::filesystem::path& file) {
    main_display_ = file.lexically_normal().string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw ScenarioError(main_display_ + ": no such scenario file");
    {
        const std::string text = read_text(file);
        main_last_line_ = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
        if (!text.empty() && text.back() == '\n') --main_last_line_;
    }
    limited_ = true;  // the libraries and the DSL are in place; from here on the script allocates
    int status = load_chunk(file);
    if (status == LUA_OK) status = lua_pcall(L_, 0, 0, 0);
    if (status == LUA_OK) return;
    raise(status);
}

void LuaSandbox::call(int nargs) {
    executed_ = 0;
    lua_sethook(L_, &LuaSandbox::count_hook, LUA_MASKCOUNT, kHookEvery);
    const int status = lua_pcall(L_, nargs, 0, 0);
    if (status != LUA_OK) raise(status);
}

void LuaSandbox::raise(int status) {
    if (status == LUA_ERRMEM) {
        throw ScenarioError(main_display_ + ": the script used more than " +
                            std::to_string(limits_.memory_bytes >> 20) + " MiB of memory and was stopped");
    }
    const char* text = lua_tostring(L_, -1);
    std::string message =
        text != nullptr ? text : std::string("error with a ") + luaL_typename(L_, -1) + " value";
    lua_pop(L_, 1);
    throw ScenarioError(fix_location(message));
}

std::string LuaSandbox::display(const char* source) const {
    auto it = alias_to_display_.find(source);
    return it != alias_to_display_.end() ? it->second : std::string(source);
}

std::string LuaSandbox::where(lua_State* L) const {
    std::string first;
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar) != 0; ++level) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline <= 0 || ar.source == nullptr || ar.source[0] != '@') continue;
        std::string here = display(ar.source + 1) + ":" + std::to_string(ar.currentline) + ": ";
        if (helper_aliases_.count(ar.source + 1) == 0) return here;
        if (first.empty()) first = std::move(here);
    }
    return first.empty() ? main_display_ + ": " : first;
}

std::string LuaSandbox::end_of_file() const {
    return main_display_ + ":" + std::to_string(main_last_line_) + ": ";
}

std::string LuaSandbox::fix_location(const std::string& message) const {
    for (const auto& [alias, shown] : alias_to_display_) {
        if (message.rfind(shown + ":", 0) == 0) return message;
    }
    for (const auto& [alias, shown] : alias_to_display_) {
        if (message.rfind(alias + ":", 0) == 0) return shown + message.substr(alias.size());
    }
    return main_display_ + ": " + message;
}

}  // namespace evtwin
