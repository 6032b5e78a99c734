#pragma once
// The content of a data file that may be gzip-compressed (e.g. ../shared/data/sessions/*.csv.gz),
// with errors that name the file.
#include <evtwin/errors.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace evtwin {

// The bytes of `file`, inflated when they start with the gzip magic bytes (1f 8b), as they are
// otherwise. Throws DataError "<file>: cannot open the file for reading" or
// "<file>: corrupt gzip data (...)" / "<file>: truncated gzip data (expected more compressed bytes)".
std::string read_maybe_gzip_file(const std::filesystem::path& file);

// Inflates gzip `data` (concatenated members allowed); `file` names it in errors. The first decoder
// below when it can, else the second, which says what is wrong.
std::string gunzip(std::string_view data, const std::filesystem::path& file);

// libdeflate, a whole member at a time: nullopt on any bad data, without saying what.
std::optional<std::string> gunzip_whole_members(std::string_view data);

// zlib's stream. Throws DataError naming `file` and what is wrong.
std::string gunzip_stream(std::string_view data, const std::filesystem::path& file);

}  // namespace evtwin
