#pragma once
// The planner page's files: the plain files under one folder, listed once when the server starts.
// A request is answered only with a listed file, found by its exact path, so nothing a client
// writes (an absolute path, "..", percent-escapes, a symlink out of the folder) reaches the file
// system; the answer names the file and the server streams it. Files added later need a restart.
#include "serve/net/http_server.hpp"

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace evtwin::serve {

class StaticFiles {
public:
    // Lists the regular files under `dir` whose path has only ordinary names (letters, digits, '-',
    // '_' and '.', none starting with '.'); a symlink is listed only when it ends inside `dir`. An
    // empty or missing `dir` lists nothing.
    explicit StaticFiles(const std::filesystem::path& dir);

    // The file for a request path ("/" is index.html), or nothing when it is not listed.
    std::optional<HttpResponse> find(std::string_view path) const;
    std::size_t size() const { return files_.size(); }

private:
    std::map<std::string, std::filesystem::path, std::less<>> files_;  // "/app.js" -> its file
};

}  // namespace evtwin::serve
