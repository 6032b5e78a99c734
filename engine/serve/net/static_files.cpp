#include "serve/net/static_files.hpp"

#include <algorithm>
#include <cctype>

namespace evtwin::serve {
namespace {

std::string content_type(const std::filesystem::path& file) {
    static const std::map<std::string, std::string> types = {{".html", "text/html; charset=utf-8"},
                                                             {".css", "text/css; charset=utf-8"},
                                                             {".js", "text/javascript; charset=utf-8"},
                                                             {".mjs", "text/javascript; charset=utf-8"},
                                                             {".json", "application/json"},
                                                             {".svg", "image/svg+xml"},
                                                             {".png", "image/png"},
                                                             {".ico", "image/x-icon"},
                                                             {".csv", "text/csv; charset=utf-8"}};
    auto it = types.find(file.extension().string());
    return it == types.end() ? "application/octet-stream" : it->second;
}

bool ordinary_name(const std::string& name) {
    return !name.empty() && name[0] != '.' && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

// Whether `file`, resolved, lies inside the resolved folder `root`.
bool inside(const std::filesystem::path& root, const std::filesystem::path& file) {
    std::error_code ec;
    const auto resolved = std::filesystem::canonical(file, ec);
    if (ec) return false;
    const auto [end, _] = std::mismatch(root.begin(), root.end(), resolved.begin(), resolved.end());
    return end == root.end();
}

}  // namespace

StaticFiles::StaticFiles(const std::filesystem::path& dir) {
    std::error_code ec;
    if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return;
    const auto root = std::filesystem::canonical(dir, ec);
    if (ec) return;
    // Directory symlinks are not followed: a listed file's every folder is under `dir` itself.
    std::filesystem::recursive_directory_iterator it(root, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const std::filesystem::path& path = it->path();
        if (!ordinary_name(path.filename().string())) {
            if (it->is_directory(ec)) it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file(ec) || !inside(root, path)) continue;
        std::string url = "/";  // appended: "/" + std::string&& draws a GCC 12 -Wrestrict false positive
        url += path.lexically_relative(root).generic_string();
        files_.emplace(std::move(url), path);
    }
}

std::optional<HttpResponse> StaticFiles::find(std::string_view path) const {
    const auto it = files_.find(path == "/" ? std::string_view("/index.html") : path);
    if (it == files_.end()) return std::nullopt;
    HttpResponse r;
    r.content_type = content_type(it->second);
    r.file = it->second;
    r.headers.push_back({"Cache-Control", "no-cache"});
    return r;
}

}  // namespace evtwin::serve
