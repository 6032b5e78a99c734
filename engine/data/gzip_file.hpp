#pragma once
// The content of a data file that may be gzip-compressed (e.g. ../shared/data/sessions/*.csv.gz),
// with errors that name the file.
#include <evtwin/errors.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace evtwin {

// The bytes of `file`, inflated when they start with the gzip magic bytes (1f 8b), as they are
// otherwise. Throws DataError "<file>: cannot open the file for reading" or
// "<file>: corrupt gzip data (...)" / "<file>: truncated gzip data (expected more compressed bytes)".
std::string read_maybe_gzip_file(const std::filesystem::path& file);

// Inflates gzip `data` (concatenated members allowed); `file` names it in errors.
std::string gunzip(std::string_view data, const std::filesystem::path& file);

}  // namespace evtwin
