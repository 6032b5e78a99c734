#include "data/gzip_file.hpp"

#include "data/text_file.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>

namespace evtwin {
namespace {

constexpr std::size_t kMaxRatio = 1032;  // deflate's largest: 258 bytes from 2 bits

// The inflated size a gzip member's trailer gives (ISIZE: the size modulo 2^32, of the last member
// only), bounded by deflate's largest ratio so that a forged trailer cannot claim gigabytes: a
// first guess at the output's size, not a promise.
std::size_t expected_size(std::string_view data) {
    if (data.size() < 18) return data.size();
    std::uint32_t isize = 0;
    for (int k = 3; k >= 0; --k) isize = isize << 8 | static_cast<unsigned char>(data[data.size() - 4 + k]);
    return std::min<std::size_t>(isize, data.size() * kMaxRatio);
}

bool starts_a_member(std::string_view data) {
    return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
           static_cast<unsigned char>(data[1]) == 0x8b;
}

std::string_view without_zero_padding(std::string_view data) {
    while (!data.empty() && data.front() == '\0') data.remove_prefix(1);
    return data;
}

}  // namespace

// libdeflate's decoder takes whole members only and does the work in less time than zlib's stream:
// each member in one call, into a buffer sized from its trailer.
std::optional<std::string> gunzip_whole_members(std::string_view data) {
    const std::unique_ptr<libdeflate_decompressor, void (*)(libdeflate_decompressor*)> inflater(
        libdeflate_alloc_decompressor(), libdeflate_free_decompressor);
    if (!inflater) return std::nullopt;
    const std::size_t most = data.size() * kMaxRatio;
    std::string out;
    std::size_t written = 0;
    std::size_t room = std::max<std::size_t>(expected_size(data), 1 << 16);
    while (true) {
        out.resize(written + room);
        std::size_t in_used = 0, out_made = 0;
        const libdeflate_result rc = libdeflate_gzip_decompress_ex(
            inflater.get(), data.data(), data.size(), out.data() + written, room, &in_used, &out_made);
        if (rc == LIBDEFLATE_INSUFFICIENT_SPACE && room < most) {
            room *= 2;
            continue;
        }
        if (rc != LIBDEFLATE_SUCCESS) return std::nullopt;
        written += out_made;
        data = without_zero_padding(data.substr(in_used));
        if (data.empty()) {
            out.resize(written);
            return out;
        }
        if (!starts_a_member(data)) return std::nullopt;
        room = std::max<std::size_t>(data.size() * 8, 1 << 16);
    }
}

std::string gunzip_stream(std::string_view data, const std::filesystem::path& file) {
    z_stream z{};
    // 16 + MAX_WBITS: a gzip header and trailer (CRC and length are checked by zlib).
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        throw DataError(file.string() + ": cannot start gzip decoding");
    struct End {
        z_stream* z;
        ~End() { inflateEnd(z); }
    } end{&z};
    std::string out;
    out.resize(expected_size(data));
    std::size_t written = 0;
    std::size_t in_pos = 0;
    while (true) {
        if (z.avail_in == 0 && in_pos < data.size()) {
            const std::size_t n =
                std::min<std::size_t>(data.size() - in_pos, std::numeric_limits<uInt>::max());
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data() + in_pos));
            z.avail_in = static_cast<uInt>(n);
            in_pos += n;
        }
        if (written == out.size()) out.resize(std::max<std::size_t>(2 * out.size(), 1 << 16));
        const std::size_t room =
            std::min<std::size_t>(out.size() - written, std::numeric_limits<uInt>::max());
        z.next_out = reinterpret_cast<Bytef*>(out.data() + written);
        z.avail_out = static_cast<uInt>(room);
        const int rc = inflate(&z, Z_NO_FLUSH);
        written += room - z.avail_out;
        if (rc == Z_STREAM_END) {
            // Another member may follow (gzip files can be concatenated); trailing zero padding is ignored.
            const std::string_view rest =
                without_zero_padding(data.substr(data.size() - (z.avail_in + (data.size() - in_pos))));
            if (rest.empty()) {
                out.resize(written);
                return out;
            }
            if (!starts_a_member(rest)) {
                throw DataError(file.string() +
                                ": corrupt gzip data (unexpected bytes after the end of the stream)");
            }
            inflateReset(&z);
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(rest.data()));
            z.avail_in = static_cast<uInt>(rest.size());
            in_pos = data.size();
            continue;
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && in_pos >= data.size()) {
            throw DataError(file.string() + ": truncated gzip data (expected more compressed bytes)");
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            throw DataError(file.string() + ": corrupt gzip data (" +
                            (z.msg ? z.msg : "zlib error " + std::to_string(rc)) + ")");
        }
    }
}

std::string gunzip(std::string_view data, const std::filesystem::path& file) {
    if (auto out = gunzip_whole_members(data)) return std::move(*out);
    return gunzip_stream(data, file);
}

std::string read_maybe_gzip_file(const std::filesystem::path& file) {
    std::string data = read_text_file(file);
    return starts_a_member(data) ? gunzip(data, file) : data;
}

}  // namespace evtwin
