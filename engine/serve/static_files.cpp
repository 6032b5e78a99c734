#include "serve/static_files.hpp"

#include <fstream>
#include <map>
#include <sstream>

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

bool ordinary_path(const std::string& path) {
    std::istringstream parts(path);
    std::string part;
    while (std::getline(parts, part, '/')) {
        if (part.empty()) continue;
        if (part[0] == '.') return false;
        for (char c : part) {
            const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
            if (!ok) return false;
        }
    }
    return true;
}

}  // namespace

std::optional<HttpResponse> static_file(const std::filesystem::path& dir, const std::string& path) {
    if (dir.empty() || path.empty() || path[0] != '/' || !ordinary_path(path)) return std::nullopt;
    const std::filesystem::path file = dir / (path == "/" ? "index.html" : path.substr(1));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream body;
    body << in.rdbuf();
    HttpResponse r;
    r.content_type = content_type(file);
    r.body = body.str();
    r.headers.push_back({"Cache-Control", "no-cache"});
    return r;
}

}  // namespace evtwin::serve
