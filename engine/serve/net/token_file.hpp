#pragma once
// The API's bearer token, kept in a file only its owner can read (mode 0600).
#include <filesystem>
#include <string>

namespace evtwin::serve {

struct TokenFile {
    std::string token;
    bool created = false;  // generated now
};

// Reads the token from `file`; when the file does not exist and `create` is set, writes a new
// random token (32 bytes from /dev/urandom, hex) with mode 0600. Throws std::runtime_error naming
// the file when it cannot be read or written, is empty, or can be read by others than its owner.
TokenFile load_token(const std::filesystem::path& file, bool create);

}  // namespace evtwin::serve
