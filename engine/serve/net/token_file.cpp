#include "serve/net/token_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace evtwin::serve {
namespace {

std::string random_hex(std::size_t bytes) {
    std::ifstream random("/dev/urandom", std::ios::binary);
    std::string raw(bytes, '\0');
    if (!random.read(raw.data(), static_cast<std::streamsize>(bytes)))
        throw std::runtime_error("cannot read /dev/urandom");
    std::string hex;
    char pair[3];
    for (unsigned char c : raw) {
        std::snprintf(pair, sizeof pair, "%02x", c);
        hex += pair;
    }
    return hex;
}

void write_new(const std::filesystem::path& file, const std::string& token) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error(file.string() + ": cannot create the token file");
    const std::string line = token + "\n";
    const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
    ::close(fd);
    if (!written) throw std::runtime_error(file.string() + ": cannot write the token file");
}

}  // namespace

TokenFile load_token(const std::filesystem::path& file, bool create) {
    TokenFile out;
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) {
        if (!create) throw std::runtime_error(file.string() + ": no such token file");
        out.token = random_hex(32);
        out.created = true;
        write_new(file, out.token);
        return out;
    }
    if ((st.st_mode & 077) != 0) {
        throw std::runtime_error(file.string() +
                                 ": the token file can be read by others than its owner (chmod 600 it)");
    }
    std::ifstream in(file);
    if (!in || !std::getline(in, out.token))
        throw std::runtime_error(file.string() + ": cannot read the token");
    while (!out.token.empty() && (out.token.back() == '\r' || out.token.back() == ' ')) out.token.pop_back();
    if (out.token.size() < 16)
        throw std::runtime_error(file.string() + ": the token must be at least 16 characters");
    return out;
}

}  // namespace evtwin::serve
