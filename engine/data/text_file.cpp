#include "data/text_file.hpp"

#include <fstream>
#include <iterator>

namespace evtwin {

std::string read_text_file(const std::filesystem::path& file) {
    // A device such as /dev/zero never ends: only files and pipes are read.
    std::error_code ec;
    const auto type = std::filesystem::status(file, ec).type();
    if (!ec && type != std::filesystem::file_type::regular && type != std::filesystem::file_type::fifo)
        throw DataError(file.string() + ": not a file (a folder or a device)");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DataError(file.string() + ": cannot open the file for reading");
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw DataError(file.string() + ": read error");
    return data;
}

}  // namespace evtwin
