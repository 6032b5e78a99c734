// The OCPP log format CSV timestamp,id,action,msg (no direction)
#include "ocpp/format_readers.hpp"

#include <evtwin/errors.hpp>
#include "ocpp/log_text.hpp"

#include <algorithm>

namespace evtwin::ocpp {

namespace {

// A streaming RFC 4180 reader: each record is read into reused strings (no table of cells), and a
// bad record (too many fields, an unterminated quote) is a Problem, not the end of the import.
class CsvRecords {
public:
    explicit CsvRecords(std::string_view text) : data_(text) {
        if (data_.substr(0, 3) == "\xEF\xBB\xBF") data_.remove_prefix(3);
    }
    // The next non-blank record into `fields` (resized to its field count); false at the end.
    // `line` is where the record starts; `unterminated` is set for a quote left open at the end.
    bool next(std::vector<std::string>& fields, std::size_t& count, std::size_t& line, bool& unterminated) {
        while (pos_ < data_.size()) {
            line = line_;
            count = 0;
            unterminated = false;
            if (!record(fields, count, unterminated)) continue;  // blank line
            return true;
        }
        return false;
    }

private:
    std::string& field(std::vector<std::string>& fields, std::size_t& count) {
        if (count == fields.size()) fields.emplace_back();
        std::string& f = fields[count++];
        f.clear();
        return f;
    }

    // Returns false for a blank line.
    bool record(std::vector<std::string>& fields, std::size_t& count, bool& unterminated) {
        const std::size_t begin = pos_;
        std::string* f = &field(fields, count);
        while (pos_ < data_.size()) {
            char c = data_[pos_];
            if (c == '"' && f->empty()) {  // a quoted field: copy up to each quote
                ++pos_;
                while (true) {
                    const std::size_t q = data_.find('"', pos_);
                    const std::size_t stop = q == std::string_view::npos ? data_.size() : q;
                    const std::string_view chunk = data_.substr(pos_, stop - pos_);
                    line_ += static_cast<std::size_t>(std::count(chunk.begin(), chunk.end(), '\n'));
                    f->append(chunk);
                    if (q == std::string_view::npos) {
                        pos_ = data_.size();
                        unterminated = true;
                        return true;
                    }
                    pos_ = q + 1;
                    if (pos_ < data_.size() && data_[pos_] == '"') {
                        f->push_back('"');
                        ++pos_;
                        continue;
                    }
                    break;
                }
                continue;
            }
            // Unquoted text (or text after a closing quote, kept literally) up to a comma or line end.
            const std::size_t stop = data_.find_first_of(",\r\n", pos_);
            const std::size_t end = stop == std::string_view::npos ? data_.size() : stop;
            f->append(data_.substr(pos_, end - pos_));
            pos_ = end;
            if (pos_ >= data_.size()) break;
            c = data_[pos_++];
            if (c == ',') {
                f = &field(fields, count);
                continue;
            }
            if (c == '\r' && pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
            ++line_;
            break;
        }
        const bool blank = count == 1 && data_.substr(begin, pos_ - begin).find_first_not_of("\r\n") ==
                                             std::string_view::npos;
        return !blank;
    }

    std::string_view data_;
    std::size_t pos_ = 0, line_ = 1;
};

}  // namespace

void read_csv(const std::filesystem::path& file, std::string_view text, const ReadOptions& options,
              LogRead& out) {
    CsvRecords csv(text);
    std::vector<std::string> fields;
    std::size_t count = 0, line = 0;
    bool unterminated = false;
    if (!csv.next(fields, count, line, unterminated))
        throw DataError(file.string() + ": no header line (the file is empty)");
    std::vector<std::string> header(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(count));
    for (auto& h : header) h = std::string(trim(h));
    const std::size_t none = header.size();
    auto column = [&](std::string_view name) {
        const auto it = std::find(header.begin(), header.end(), name);
        return it == header.end() ? none : static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t ts_col = column("timestamp"), msg_col = column("msg"), id_col = column("id"),
                      action_col = column("action");
    if (ts_col == none || msg_col == none) {
        std::string known;
        for (const auto& h : header) known += (known.empty() ? "'" : ", '") + h + "'";
        throw DataError(file.string() + ": no column '" + (ts_col == none ? "timestamp" : "msg") +
                        "'; the columns are " + known);
    }
    out.frames.reserve(text.size() / 96);
    while (csv.next(fields, count, line, unterminated)) {
        if (unterminated) {
            problem(out.problems, line, "truncated", "unterminated quoted field (expected a closing '\"')");
            break;
        }
        if (count > header.size()) {
            const std::string what = "expected at most " + std::to_string(header.size()) +
                                     " fields (as in the header), got " + std::to_string(count);
            if (msg_col + 1 != header.size()) {
                problem(out.problems, line, "bad_record", what);
                continue;
            }
            // msg is the last column: an unquoted frame was split at its commas; join it back, and
            // keep the frame only if that makes a valid message.
            for (std::size_t c = msg_col + 1; c < count; ++c) (fields[msg_col] += ',') += fields[c];
            Frame f;
            f.line = line;
            std::vector<Problem> scratch;
            if (!parse_log_time(fields[ts_col], options.zone(), f.ts_ms) ||
                !decode_message_text(fields[msg_col], f, scratch)) {
                problem(out.problems, line, "bad_record", what);
                continue;
            }
            problem(out.problems, line, "bad_record",
                    what + "; the frame read from the unquoted rest of the line");
            count = header.size();
        }
        for (std::size_t c = count; c < header.size(); ++c) {  // missing trailing fields read as empty
            if (c < fields.size())
                fields[c].clear();
            else
                fields.emplace_back();
        }
        Frame f;
        f.line = line;
        if (!parse_log_time(fields[ts_col], options.zone(), f.ts_ms)) {
            bad_timestamp(out.problems, f.line, fields[ts_col]);
            continue;
        }
        if (!decode_message_text(fields[msg_col], f, out.problems)) continue;
        f.cs = id_col != none && !fields[id_col].empty() ? fields[id_col] : options.default_cs;
        if (action_col != none && f.type == MessageType::call && !fields[action_col].empty() &&
            fields[action_col] != f.action)
            problem(out.problems, f.line, "action_mismatch",
                    "column action says '" + fields[action_col] + "', the frame '" + f.action + "'");
        out.frames.push_back(std::move(f));
    }
}

}  // namespace evtwin::ocpp
