// libFuzzer target of what the server does with a request's head before a handler answers it: the
// bytes read by Beast's request parser under the server's head limit, then the target's path looked
// up among the planner page's files and read as a charge point's /ocpp/{id}, the Basic credentials
// of the Authorization field and the subprotocols a WebSocket upgrade offers. Properties: a path
// that finds a file finds one of the web folder's own (never the secret beside it, whatever the
// path says); a charge point's id comes from exactly one segment after /ocpp/ and holds no '/' nor
// control character, and is never "." or ".."; credentials have a user without ':'; subprotocols
// are non-empty, without commas or surrounding blanks. A crash, a
// sanitizer report or a hang is a bug. Built with -DEVTWIN_FUZZ=ON and clang (scripts/fuzz runs it).
#include "serve/csms/charge_point_passwords.hpp"
#include "serve/csms/charge_point_path.hpp"
#include "serve/net/request_head.hpp"
#include "serve/net/static_files.hpp"

#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

[[noreturn]] void bug(const char* what, std::string_view detail) {
    std::fprintf(stderr, "http_head_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
    std::abort();
}

void write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

// A web folder made once: a page, a script in a subfolder, and a secret beside the folder that a
// symlink inside points at.
struct Site {
    fs::path root;
    fs::path web;
    Site() {
        root = fs::temp_directory_path() / ("evtwin-http-head-fuzz-" + std::to_string(::getpid()));
        web = root / "web";
        write(web / "index.html", "<!doctype html>");
        write(web / "app" / "plan.js", "export {};");
        write(root / "secret.txt", "secret");
        std::error_code ignored;
        fs::create_symlink(root / "secret.txt", web / "secret.txt", ignored);
        fs::create_directory_symlink(root, web / "up", ignored);
        root = fs::canonical(root);
        web = fs::canonical(web);
    }
    ~Site() {
        std::error_code ignored;
        fs::remove_all(root, ignored);
    }
};

void check_path(const evtwin::serve::StaticFiles& files, const Site& site, std::string_view target) {
    const std::string_view path = evtwin::serve::path_of(target);
    const auto found = files.find(path);
    if (!found) return;
    const fs::path file = fs::canonical(found->file);
    if (file != site.web / "index.html" && file != site.web / "app" / "plan.js")
        bug("served a file not listed", target);
    if (!found->body.empty()) bug("a file read into memory", target);
}

void check_charge_point(std::string_view target) {
    const std::string id = evtwin::serve::charge_point_of_path(target);
    if (id.empty()) return;
    const std::string_view path = evtwin::serve::path_of(target);
    if (path.substr(0, evtwin::serve::kOcppPrefix.size()) != evtwin::serve::kOcppPrefix ||
        path.find('/', evtwin::serve::kOcppPrefix.size()) != std::string_view::npos)
        bug("an id from a path that is not /ocpp/{id}", target);
    if (id == "." || id == "..") bug("a path step as an id", target);
    for (const char c : id) {
        if (c == '/' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            bug("an id with '/' or a control", id);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Site site;
    static const evtwin::serve::StaticFiles files(site.web);
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    // The bytes as a target alone, then as a whole head.
    check_path(files, site, bytes);
    check_charge_point(bytes);

    http::request_parser<http::string_body> parser;
    parser.header_limit(evtwin::serve::kMaxHeadBytes);
    parser.body_limit(1 << 20);
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (!parser.is_header_done()) return 0;
    const auto& head = parser.get();
    const std::string_view target(head.target().data(), head.target().size());
    check_path(files, site, target);
    check_charge_point(target);

    const auto authorization = head[http::field::authorization];
    if (const auto credentials = evtwin::serve::parse_basic_authorization(
            std::string_view(authorization.data(), authorization.size()))) {
        if (credentials->user.find(':') != std::string::npos) bug("a user with ':'", credentials->user);
    }
    const auto [first, last] = head.equal_range(http::field::sec_websocket_protocol);
    for (auto field = first; field != last; ++field) {
        for (const std::string& item :
             evtwin::serve::subprotocols_of(std::string_view(field->value().data(), field->value().size()))) {
            if (item.empty() || item.find(',') != std::string::npos || item.front() == ' ' ||
                item.front() == '\t' || item.back() == ' ' || item.back() == '\t')
                bug("a subprotocol not trimmed or split", item);
        }
    }
    return 0;
}
