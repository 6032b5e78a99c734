#pragma once
// The whole content of a data file, with errors that name the file.
#include <evtwin/errors.hpp>

#include <filesystem>
#include <string>

namespace evtwin {

// The bytes of `file` (a file or a pipe). Throws DataError "<file>: cannot open the file for reading",
// "<file>: not a file (a folder or a device)" or "<file>: read error".
std::string read_text_file(const std::filesystem::path& file);

}  // namespace evtwin
