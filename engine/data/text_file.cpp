#include "data/text_file.hpp"

#include <fstream>
#include <iterator>

namespace evtwin {

std::string read_text_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw DataError(file.string() + ": cannot open the file for reading");
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw DataError(file.string() + ": read error");
    return data;
}

}  // namespace evtwin
