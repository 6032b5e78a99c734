#include "serve/csms/charge_point_passwords.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace evtwin::serve {
namespace {

constexpr std::string_view kPasswordScheme = "pbkdf2-sha256";
constexpr unsigned kMostIterations = 10'000'000;  // beyond it a verification would stall the server

std::string hex_of_bytes(const std::string& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : bytes) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    return hex;
}

std::optional<std::string> bytes_of_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    const auto value = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int high = value(hex[i]), low = value(hex[i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        bytes += static_cast<char>(high * 16 + low);
    }
    return bytes;
}

// Strict base64 (RFC 4648 with padding): nullopt on any other character, length or padding.
std::optional<std::string> decode_base64(std::string_view text) {
    const auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    if (text.empty() || text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (std::size_t i = 0; i < text.size() - padding; ++i) {
        const int v = value(text[i]);
        if (v < 0) return std::nullopt;
        bits = (bits << 6) | static_cast<unsigned>(v);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xff);
        }
    }
    if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;  // non-canonical trailing bits
    return out;
}

std::string pbkdf2_sha256(const std::string& password, const std::string& salt, unsigned iterations) {
    std::string hash(ChargePointPasswords::kHashBytes, '\0');
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                          static_cast<int>(iterations), EVP_sha256(), static_cast<int>(hash.size()),
                          reinterpret_cast<unsigned char*>(hash.data())) != 1)
        throw std::runtime_error("PBKDF2 failed (OpenSSL)");
    return hash;
}

std::vector<std::string> split_colons(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    std::string field;
    while (std::getline(in, field, ':')) fields.push_back(field);
    if (!line.empty() && line.back() == ':') fields.emplace_back();
    return fields;
}

[[noreturn]] void passwords_line_error(const std::filesystem::path& file, int line, const std::string& what) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

std::optional<BasicCredentials> parse_basic_authorization(std::string_view header) {
    constexpr std::string_view scheme = "basic";
    if (header.size() <= scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return std::nullopt;
    std::string_view rest = header.substr(scheme.size());
    if (rest.front() != ' ') return std::nullopt;
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
    const auto decoded = decode_base64(rest);
    if (!decoded) return std::nullopt;
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    return BasicCredentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
}

std::string charge_point_id_problem(std::string_view id) {
    if (id.empty() || id.size() > 48) return "a charge point id has 1-48 characters";
    for (char c : id) {
        if (c <= ' ' || c > '~' || c == ':' || c == '/')
            return "a charge point id has printable ASCII characters only, without spaces, ':' or '/'";
    }
    return "";
}

std::string charge_point_password_problem(std::string_view password) {
    if (password.size() < 16 || password.size() > 40)
        return "a charge point password has 16-40 characters, got " + std::to_string(password.size());
    for (char c : password) {
        if (c < ' ' || c > '~') return "a charge point password has printable ASCII characters only";
    }
    return "";
}

ChargePointPasswords ChargePointPasswords::load(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) throw std::runtime_error(file.string() + ": no such passwords file");
    if ((st.st_mode & 077) != 0) {
        throw std::runtime_error(file.string() +
                                 ": the passwords file can be read by others than its owner (chmod 600 it)");
    }
    std::ifstream in(file);
    if (!in) throw std::runtime_error(file.string() + ": cannot read the passwords file");
    ChargePointPasswords out;
    std::map<std::string, int> first_line;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty()) continue;
        const std::vector<std::string> f = split_colons(line);
        if (f.size() != 5)
            passwords_line_error(file, number, "expected ID:pbkdf2-sha256:ITERATIONS:SALT_HEX:HASH_HEX");
        if (auto problem = charge_point_id_problem(f[0]); !problem.empty())
            passwords_line_error(file, number, problem);
        if (f[1] != kPasswordScheme)
            passwords_line_error(file, number, "unknown hash '" + f[1] + "' (expected pbkdf2-sha256)");
        Entry e;
        try {
            std::size_t used = 0;
            const unsigned long n = std::stoul(f[2], &used);
            if (used != f[2].size() || n < kIterations || n > kMostIterations) throw std::out_of_range("");
            e.iterations = static_cast<unsigned>(n);
        } catch (const std::exception&) {
            passwords_line_error(file, number,
                                 "expected ITERATIONS from " + std::to_string(kIterations) + " to " +
                                     std::to_string(kMostIterations) + ", got '" + f[2] + "'");
        }
        const auto salt = bytes_of_hex(f[3]);
        if (!salt || salt->size() < kSaltBytes)
            passwords_line_error(
                file, number,
                "expected SALT_HEX of at least " + std::to_string(kSaltBytes) + " bytes in hex");
        const auto hash = bytes_of_hex(f[4]);
        if (!hash || hash->size() != kHashBytes)
            passwords_line_error(file, number,
                                 "expected HASH_HEX of " + std::to_string(kHashBytes) + " bytes in hex");
        e.salt = *salt;
        e.hash = *hash;
        if (auto [at, fresh] = first_line.emplace(f[0], number); !fresh)
            passwords_line_error(file, number,
                                 "charge point '" + f[0] + "' is listed twice (first on line " +
                                     std::to_string(at->second) + ")");
        out.entries_[f[0]] = std::move(e);
    }
    if (in.bad()) throw std::runtime_error(file.string() + ": cannot read the passwords file");
    return out;
}

ChargePointPasswords ChargePointPasswords::load_or_empty(const std::filesystem::path& file) {
    std::error_code ec;
    if (!std::filesystem::exists(file, ec) && !ec) return {};
    return load(file);
}

bool ChargePointPasswords::verify(const std::string& id, const std::string& password) const {
    static const Entry unknown{kIterations, std::string(kSaltBytes, 'x'), std::string(kHashBytes, '\0')};
    const auto it = entries_.find(id);
    const Entry& e = it == entries_.end() ? unknown : it->second;
    const std::string hash = pbkdf2_sha256(password, e.salt, e.iterations);
    const bool same = CRYPTO_memcmp(hash.data(), e.hash.data(), kHashBytes) == 0;
    return same && it != entries_.end();
}

void ChargePointPasswords::set(const std::string& id, const std::string& password) {
    if (auto problem = charge_point_id_problem(id); !problem.empty())
        throw std::invalid_argument(problem + ", got '" + id + "'");
    if (auto problem = charge_point_password_problem(password); !problem.empty())
        throw std::invalid_argument(problem);
    Entry e;
    e.salt.assign(kSaltBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(e.salt.data()), static_cast<int>(kSaltBytes)) != 1)
        throw std::runtime_error("no random salt (OpenSSL RAND_bytes failed)");
    e.hash = pbkdf2_sha256(password, e.salt, e.iterations);
    entries_[id] = std::move(e);
}

void ChargePointPasswords::save(const std::filesystem::path& file) const {
    std::string text;
    for (const auto& [id, e] : entries_) {
        text += id + ":" + std::string(kPasswordScheme) + ":" + std::to_string(e.iterations) + ":" +
                hex_of_bytes(e.salt) + ":" + hex_of_bytes(e.hash) + "\n";
    }
    const std::filesystem::path temporary = file.string() + ".tmp-" + std::to_string(::getpid());
    const auto fail = [&](const std::string& what) {
        ::unlink(temporary.c_str());
        throw std::runtime_error(file.string() + ": cannot " + what + " the passwords file");
    };
    ::unlink(temporary.c_str());
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) fail("create");
    const bool written = ::fchmod(fd, 0600) == 0 &&
                         ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                         ::fsync(fd) == 0;
    if (::close(fd) != 0 || !written) fail("write");
    if (::rename(temporary.c_str(), file.c_str()) != 0) fail("replace");
}

}  // namespace evtwin::serve
