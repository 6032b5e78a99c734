#include "data/gzip_file.hpp"

#include "data/text_file.hpp"

#include <zlib.h>

#include <limits>

namespace evtwin {

std::string gunzip(std::string_view data, const std::filesystem::path& file) {
    z_stream z{};
    // 16 + MAX_WBITS: a gzip header and trailer (CRC and length are checked by zlib).
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) throw DataError(file.string() + ": cannot start gzip decoding");
    struct End {
        z_stream* z;
        ~End() { inflateEnd(z); }
    } end{&z};
    std::string out;
    out.reserve(data.size() * 4);
    std::size_t in_pos = 0;
    char buffer[1 << 16];
    while (true) {
        if (z.avail_in == 0 && in_pos < data.size()) {
            const std::size_t n = std::min<std::size_t>(data.size() - in_pos, std::numeric_limits<uInt>::max());
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + in_pos));
            z.avail_in = static_cast<uInt>(n);
            in_pos += n;
        }
        z.next_out = reinterpret_cast<Bytef*>(buffer);
        z.avail_out = sizeof buffer;
        const int rc = inflate(&z, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - z.avail_out);
        if (rc == Z_STREAM_END) {
            // Another member may follow (gzip files can be concatenated); trailing zero padding is ignored.
            std::size_t rest = z.avail_in + (data.size() - in_pos);
            const char* next = data.data() + (data.size() - rest);
            while (rest > 0 && *next == '\0') ++next, --rest;
            if (rest == 0) return out;
            if (rest < 2 || static_cast<unsigned char>(next[0]) != 0x1f || static_cast<unsigned char>(next[1]) != 0x8b) {
                throw DataError(file.string() + ": corrupt gzip data (unexpected bytes after the end of the stream)");
            }
            inflateReset(&z);
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(next));
            z.avail_in = static_cast<uInt>(rest);
            in_pos = data.size();
            continue;
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && in_pos >= data.size()) {
            throw DataError(file.string() + ": truncated gzip data (expected more compressed bytes)");
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            throw DataError(file.string() + ": corrupt gzip data (" + (z.msg ? z.msg : "zlib error " + std::to_string(rc)) +
                            ")");
        }
    }
}

std::string read_maybe_gzip_file(const std::filesystem::path& file) {
    std::string data = read_text_file(file);
    if (data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f && static_cast<unsigned char>(data[1]) == 0x8b) {
        return gunzip(data, file);
    }
    return data;
}

}  // namespace evtwin
