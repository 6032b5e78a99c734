#pragma once
// The planner page's files, served from one directory: only plain files under it, by a path of
// ordinary names (no "..", no hidden files), with a content type from the extension.
#include "serve/http_server.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace evtwin::serve {

// The file for a request path ("/" is index.html), or nothing when there is none.
std::optional<HttpResponse> static_file(const std::filesystem::path& dir, const std::string& path);

}  // namespace evtwin::serve
