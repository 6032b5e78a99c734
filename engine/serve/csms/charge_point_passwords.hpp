#pragma once
// The passwords of the charge points (OCPP security profiles 1 and 2: HTTP Basic authentication of
// the WebSocket upgrade), kept hashed in a file only its owner can read (mode 0600), one line each:
//   ID:pbkdf2-sha256:ITERATIONS:SALT_HEX:HASH_HEX
// (PBKDF2-HMAC-SHA256 with a random 16-byte salt; the hash has 32 bytes). Blank lines are allowed.
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace evtwin::serve {

struct BasicCredentials {
    std::string user;
    std::string password;
};

// The credentials of an Authorization header "Basic base64(user:password)" (RFC 7617); nullopt when
// the header is empty, of another scheme, not padded base64, or decodes to text without a colon.
std::optional<BasicCredentials> parse_basic_authorization(std::string_view header);

// Why `id` cannot be a charge point's identity (1-48 printable ASCII characters without spaces,
// ':' or '/'), or empty when it can.
std::string charge_point_id_problem(std::string_view id);
// Why `password` cannot be a charge point's password (16-40 printable ASCII characters, as the
// OCPP 1.6 security whitepaper asks of an AuthorizationKey), or empty when it can.
std::string charge_point_password_problem(std::string_view password);

class ChargePointPasswords {
public:
    static constexpr unsigned kIterations = 100'000;  // of new hashes; the fewest a file may give
    static constexpr std::size_t kSaltBytes = 16;
    static constexpr std::size_t kHashBytes = 32;

    // Throws std::runtime_error naming the file when it cannot be read or can be read by others
    // than its owner, and naming the file and line when a line is malformed.
    static ChargePointPasswords load(const std::filesystem::path& file);
    // load(), or none when the file does not exist.
    static ChargePointPasswords load_or_empty(const std::filesystem::path& file);

    // Whether `id` has a password and it is `password`; an unknown id costs the same time.
    bool verify(const std::string& id, const std::string& password) const;
    bool contains(const std::string& id) const { return entries_.count(id) > 0; }
    std::size_t size() const { return entries_.size(); }

    // Adds `id` or replaces its password (with a new salt); throws std::invalid_argument when the
    // id or the password is not acceptable (the *_problem functions above).
    void set(const std::string& id, const std::string& password);
    // Writes every password to `file` atomically (a temporary file beside it, then a rename) with
    // mode 0600; throws std::runtime_error naming the file when it cannot.
    void save(const std::filesystem::path& file) const;

private:
    struct Entry {
        unsigned iterations = kIterations;
        std::string salt;  // raw bytes
        std::string hash;  // raw bytes, kHashBytes
    };
    std::map<std::string, Entry> entries_;
};

}  // namespace evtwin::serve
