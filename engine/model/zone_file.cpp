#include "model/zone_file.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>

namespace evtwin {
namespace {

[[noreturn]] void malformed(const std::string& file, const std::string& why) {
    throw std::invalid_argument(file + ": not a valid TZif file (" + why + ")");
}

// Big-endian fields read in order; reading past the end is an error naming the file.
class Reader {
public:
    Reader(std::string_view bytes, const std::string& file) : bytes_(bytes), file_(file) {}

    std::string_view take(std::size_t n) {
        if (n > bytes_.size() - at_) malformed(file_, "cut short at byte " + std::to_string(bytes_.size()));
        const std::string_view out = bytes_.substr(at_, n);
        at_ += n;
        return out;
    }
    void skip(std::size_t n) { take(n); }
    std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
    std::int64_t signed_be(std::size_t n) {  // n = 4 or 8
        std::uint64_t v = 0;
        for (const char c : take(n)) v = v << 8 | static_cast<std::uint8_t>(c);
        if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
        return static_cast<std::int64_t>(v);
    }
    std::size_t count() {
        const std::int64_t v = signed_be(4);
        // No real zone comes near; the bound keeps the sizes below from overflowing.
        if (v < 0 || v > 1'000'000) malformed(file_, "a count of " + std::to_string(v));
        return static_cast<std::size_t>(v);
    }
    std::string_view rest() const { return bytes_.substr(at_); }

private:
    std::string_view bytes_;
    std::size_t at_ = 0;
    const std::string& file_;
};

struct Counts {
    std::size_t isut, isstd, leap, time, type, chars;
};

Counts read_header(Reader& in, char& version, const std::string& file) {
    if (in.take(4) != "TZif") malformed(file, "no TZif magic");
    version = static_cast<char>(in.u8());
    in.skip(15);
    Counts c{};
    c.isut = in.count();
    c.isstd = in.count();
    c.leap = in.count();
    c.time = in.count();
    c.type = in.count();
    c.chars = in.count();
    if (c.type == 0) malformed(file, "no local time types");
    return c;
}

struct TimeType {
    std::int64_t offset_s;
    std::string abbrev;
};

constexpr std::int64_t kMsLimitS = std::numeric_limits<std::int64_t>::max() / 1000;

std::int64_t seconds_to_ms(std::int64_t s) {
    if (s <= -kMsLimitS) return std::numeric_limits<std::int64_t>::min();
    if (s >= kMsLimitS) return std::numeric_limits<std::int64_t>::max();
    return s * 1000;
}

bool valid_zone_name(const std::string& name) {
    if (name.empty() || name.front() == '/' || name.back() == '/') return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t end = name.find('/', start);
        if (end == std::string::npos) end = name.size();
        const std::string part = name.substr(start, end - start);
        if (part.empty() || part == "." || part == "..") return false;
        for (const char c : part) {
            const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '_' || c == '-' || c == '+' || c == '.';
            if (!ok) return false;
        }
        start = end + 1;
    }
    return true;
}

std::filesystem::path zone_dir() {
    const char* dir = std::getenv("TZDIR");
    return dir && *dir ? std::filesystem::path(dir) : std::filesystem::path("/usr/share/zoneinfo");
}

constexpr std::int64_t kFatFilesEndMs = 2'114'380'800'000;  // 2037-01-01: fat files list changes to 2037

}  // namespace

ZoneHistory parse_zone_file(std::string_view bytes, const std::string& file) {
    Reader in(bytes, file);
    char version = 0;
    Counts c = read_header(in, version, file);
    std::size_t time_size = 4;
    if (version >= '2') {  // the 32-bit block is for old readers; the 64-bit one follows it
        in.skip(c.time * 5 + c.type * 6 + c.chars + c.leap * 8 + c.isstd + c.isut);
        c = read_header(in, version, file);
        time_size = 8;
    }
    std::vector<std::int64_t> times(c.time);
    for (auto& t : times) t = in.signed_be(time_size);
    std::vector<std::uint8_t> type_of(c.time);
    for (auto& i : type_of) {
        i = in.u8();
        if (i >= c.type) malformed(file, "a change to local time type " + std::to_string(i));
    }
    struct RawType {
        std::int64_t offset_s;
        std::uint8_t abbrev_at;
    };
    std::vector<RawType> raw(c.type);
    for (auto& t : raw) {
        t.offset_s = in.signed_be(4);
        // RFC 8536: more than -25 hours and less than 26 hours.
        if (t.offset_s <= -25 * 3600 || t.offset_s >= 26 * 3600)
            malformed(file, "a UTC offset of " + std::to_string(t.offset_s) + " s");
        in.u8();  // is DST: the offset says all the engine needs
        t.abbrev_at = in.u8();
        if (t.abbrev_at >= c.chars) malformed(file, "an abbreviation outside the designations");
    }
    const std::string_view chars = in.take(c.chars);
    in.skip(c.leap * (time_size + 4) + c.isstd + c.isut);
    std::vector<TimeType> types;
    for (const RawType& t : raw) {
        const std::string_view from = chars.substr(t.abbrev_at);
        types.push_back({t.offset_s, std::string(from.substr(0, from.find('\0')))});
    }

    ZoneHistory zone;
    // Before the first change, the first type holds (RFC 8536, section 3.2).
    zone.start_ms.push_back(std::numeric_limits<std::int64_t>::min());
    zone.offset_ms.push_back(types[0].offset_s * 1000);
    zone.abbrev.push_back(types[0].abbrev);
    for (std::size_t i = 0; i < times.size(); ++i) {
        if (i > 0 && times[i] <= times[i - 1]) malformed(file, "changes out of order");
        const std::int64_t start = seconds_to_ms(times[i]);
        if (start == zone.start_ms.back()) {  // a change at the beginning of time replaces the first type
            zone.start_ms.pop_back();
            zone.offset_ms.pop_back();
            zone.abbrev.pop_back();
        }
        const TimeType& t = types[type_of[i]];
        zone.start_ms.push_back(start);
        zone.offset_ms.push_back(t.offset_s * 1000);
        zone.abbrev.push_back(t.abbrev);
    }
    if (version >= '2') {
        const std::string_view footer = in.rest();
        const std::size_t end = footer.size() > 1 ? footer.find('\n', 1) : std::string_view::npos;
        if (footer.empty() || footer[0] != '\n' || end == std::string_view::npos)
            malformed(file, "no footer after the 64-bit data");
        zone.dst_continues = footer.substr(1, end - 1).find(',') != std::string_view::npos;
    } else {
        zone.dst_continues = zone.start_ms.back() >= kFatFilesEndMs;
    }
    return zone;
}

ZoneHistory read_zone(const std::string& name) {
    const auto unknown = [&]() {
        return std::invalid_argument("unknown time zone '" + name +
                                     "': expected an IANA zone name such as 'Europe/Amsterdam' or 'UTC'");
    };
    if (!valid_zone_name(name)) throw unknown();
    const std::filesystem::path file = zone_dir() / name;
    std::error_code error;
    if (!std::filesystem::is_regular_file(file, error)) throw unknown();
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof())
        throw std::invalid_argument("time zone '" + name + "': cannot read " + file.string());
    ZoneHistory zone = parse_zone_file(bytes, file.string());
    if (zone.dst_continues && zone.start_ms.back() < kFatFilesEndMs)
        throw std::invalid_argument("time zone '" + name + "': " + file.string() +
                                    " lists its changes only until its footer's rule takes over (a 'slim' "
                                    "TZif file), and evtwin does not apply that rule: install the tz "
                                    "database built with `zic -b fat`, as Debian's tzdata is");
    return zone;
}

}  // namespace evtwin
