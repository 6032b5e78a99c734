#include "cli/commands.hpp"
#include "cli/run_one.hpp"

#include <evtwin/util/args.hpp>

#include <cstdio>
#include <exception>

namespace evtwin::cli {

int run_verb(const std::string& verb, const std::function<int()>& command) {
    try {
        return command();
    } catch (const CommandFailure& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return e.exit_code;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "evtwin %s: %s (see evtwin %s --help)\n", verb.c_str(), e.what(), verb.c_str());
        return kUsage;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "evtwin %s: %s\n", verb.c_str(), e.what());
        return kFailure;
    }
}

}  // namespace evtwin::cli
