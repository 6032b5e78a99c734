#pragma once
// A Lua 5.4 state for untrusted scenario scripts: only the base (minus load/dofile/loadfile/
// collectgarbage), string (minus dump), table, math and utf8 libraries; a `require` that reads
// modules only from given folders; math.random drawing from a seeded evtwin::Rng; a memory cap and
// an instruction budget. Errors come out as ScenarioError "file:line: message" with the file as
// the user named it.
#include "util/rng.hpp"

#include <lua.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace evtwin {

struct SandboxLimits {
    std::size_t memory_bytes = std::size_t{512} << 20;
    std::uint64_t instructions = 200'000'000;
};

class LuaSandbox {
public:
    // Modules under `helper_dir` (the project's scenarios/lib/) are the project's own helpers: an
    // error raised while they run is reported at the line of the user's code that called them.
    LuaSandbox(std::vector<std::filesystem::path> lib_dirs, std::filesystem::path helper_dir,
               SandboxLimits limits, std::uint64_t seed);
    ~LuaSandbox();
    LuaSandbox(const LuaSandbox&) = delete;
    LuaSandbox& operator=(const LuaSandbox&) = delete;

    lua_State* state() const { return L_; }
    static LuaSandbox& of(lua_State* L);

    // Restarts math.random's stream for `seed` (scenario{} does this once the run's seed is known).
    void reseed(std::uint64_t seed);
    Rng& rng() { return rng_; }
    std::uint64_t seed() const { return seed_; }

    // Loads and runs a scenario file; throws ScenarioError on a syntax error, a runtime error, the
    // memory cap or the instruction budget.
    void run_file(const std::filesystem::path& file);
    // Calls the function on the stack below its `nargs` arguments (a hook, once the script has run)
    // with a fresh instruction budget; throws ScenarioError like run_file.
    void call(int nargs);

    // "file:line: " of the innermost Lua code running (the caller when called from a C function).
    std::string where(lua_State* L) const;
    // "file:N: " with N the last line of the main file: for what is missing at its end.
    std::string end_of_file() const;
    const std::string& main_file() const { return main_display_; }
    const std::vector<std::filesystem::path>& lib_dirs() const { return lib_dirs_; }

    // Loads a Lua text chunk from `file` and pushes it; on a syntax error pushes the message and
    // returns the Lua status.
    int load_chunk(const std::filesystem::path& file);

private:
    static void* allocate(void* ud, void* ptr, std::size_t osize, std::size_t nsize);
    static void count_hook(lua_State* L, lua_Debug* ar);
    void open_libraries();
    std::string display(const char* source) const;
    std::string fix_location(const std::string& message) const;
    [[noreturn]] void raise(int status);

    lua_State* L_ = nullptr;
    std::vector<std::filesystem::path> lib_dirs_;
    SandboxLimits limits_;
    std::size_t used_bytes_ = 0;
    bool limited_ = false;
    std::uint64_t executed_ = 0;
    std::uint64_t seed_;
    Rng rng_;
    std::filesystem::path helper_dir_;
    std::map<std::string, std::string> alias_to_display_;  // chunk name (without '@') -> path shown
    std::set<std::string> helper_aliases_;
    std::string main_display_;
    int main_last_line_ = 1;
};

// Runs `body` (returning the number of Lua results); a C++ exception from it becomes a Lua error
// "file:line: what()" at the calling Lua line, since Lua must not see a foreign exception.
template <class Body>
int lua_guarded(lua_State* L, Body&& body) {
    std::string message;
    try {
        return body();
    } catch (const std::exception& e) {
        message = LuaSandbox::of(L).where(L) + e.what();
    }
    lua_pushlstring(L, message.data(), message.size());
    return lua_error(L);
}

}  // namespace evtwin
