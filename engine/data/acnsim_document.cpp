#include "data/acnsim_document.hpp"

#include <cstdint>

namespace evtwin {
namespace {

using Json = nlohmann::json;

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Builds JSON values from parser events: the attribute values, the root id, and whatever is not
// where acnportal puts it (kept in a scratch value and dropped).
class ValueBuilder {
public:
    bool active() const { return target_ != nullptr; }
    void begin(Json& target) { target_ = &target; }

    void value(Json v) {
        place(std::move(v));
        if (open_.empty()) target_ = nullptr;
    }
    void open(Json container) { open_.push_back(&place(std::move(container))); }
    void close() {
        open_.pop_back();
        if (open_.empty()) target_ = nullptr;
    }
    void key(std::string k) { key_ = std::move(k); }

private:
    Json& place(Json v) {
        if (open_.empty()) return *target_ = std::move(v);
        Json& parent = *open_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return parent.back();
        }
        return parent[key_] = std::move(v);
    }

    Json* target_ = nullptr;
    std::vector<Json*> open_;
    std::string key_;
};

// The document's structure as far as acnportal defines it; values below an object's attributes go
// to the ValueBuilder.
class Handler final : public nlohmann::json_sax<Json> {
public:
    Handler(AcnSimDocument& doc, const std::filesystem::path& file) : doc_(doc), file_(file) {}

    bool null() override { return value(Json()); }
    bool boolean(bool v) override { return value(Json(v)); }
    bool number_integer(number_integer_t v) override { return value(Json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return value(Json(v)); }
    bool number_float(number_float_t v, const string_t&) override { return value(Json(v)); }
    bool string(string_t& v) override {
        if (!builder_.active() && next_ == Next::cls) {
            entry_->cls = std::move(v);
            has_class_ = true;
            next_ = Next::none;
            return true;
        }
        return value(Json(std::move(v)));
    }
    bool binary(binary_t&) override { return value(Json()); }

    bool start_object(std::size_t) override {
        if (builder_.active()) return builder_.open(Json::object()), true;
        switch (next_) {
            case Next::root:
                levels_.push_back(Level::root);
                break;
            case Next::context:
                levels_.push_back(Level::context);
                doc_.has_context = true;
                break;
            case Next::entry:
                levels_.push_back(Level::entry);
                has_class_ = has_attributes_ = false;
                break;
            case Next::attributes:
                levels_.push_back(Level::attributes);
                has_attributes_ = true;
                break;
            default:
                return begin_value().open(Json::object()), true;
        }
        next_ = Next::none;
        return true;
    }
    bool end_object() override {
        if (builder_.active()) return builder_.close(), true;
        const Level done = levels_.back();
        levels_.pop_back();
        if (done == Level::entry) entry_->well_formed = has_class_ && has_attributes_;
        return true;
    }
    bool start_array(std::size_t) override {
        if (!builder_.active()) begin_value();
        builder_.open(Json::array());
        return true;
    }
    bool end_array() override { return builder_.close(), true; }

    bool key(string_t& k) override {
        if (builder_.active()) return builder_.key(std::move(k)), true;
        switch (levels_.back()) {
            case Level::root:
                next_ = k == "id" ? Next::id : k == "context_dict" ? Next::context : Next::none;
                // A repeated key replaces the earlier value, as in a JSON object.
                if (next_ == Next::context) {
                    doc_.has_context = false;
                    doc_.context.clear();
                }
                break;
            case Level::context:
                entry_ = &doc_.context.insert_or_assign(std::move(k), AcnSimObject{}).first->second;
                next_ = Next::entry;
                break;
            case Level::entry:
                next_ = k == "class" ? Next::cls : k == "attributes" ? Next::attributes : Next::none;
                if (next_ == Next::cls) has_class_ = false;
                if (next_ == Next::attributes) {
                    has_attributes_ = false;
                    entry_->attributes.clear();
                }
                break;
            case Level::attributes:
                entry_->attributes.emplace_back(std::move(k), Json());
                next_ = Next::attribute;
                break;
        }
        return true;
    }

    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
        throw DataError(file_.string() + ": invalid JSON: " + e.what());
    }

private:
    enum class Level { root, context, entry, attributes };
    // What the value after the last key is, where the structure says.
    enum class Next { root, none, id, context, entry, cls, attributes, attribute };

    // A scalar where the structure expects something: kept where it belongs or dropped.
    bool value(Json v) {
        if (!builder_.active()) {
            if (next_ == Next::attribute) {
                entry_->attributes.back().second = std::move(v);
            } else if (next_ == Next::id) {
                doc_.id = std::move(v);
            }
            next_ = Next::none;
            return true;
        }
        builder_.value(std::move(v));
        return true;
    }
    // An array or object value: the builder makes it, for the attribute or the id it is, or to drop.
    ValueBuilder& begin_value() {
        builder_.begin(next_ == Next::attribute ? entry_->attributes.back().second
                       : next_ == Next::id      ? doc_.id
                                                : scratch_);
        next_ = Next::none;
        return builder_;
    }

    AcnSimDocument& doc_;
    const std::filesystem::path& file_;
    std::vector<Level> levels_;
    Next next_ = Next::root;
    AcnSimObject* entry_ = nullptr;
    bool has_class_ = false, has_attributes_ = false;
    ValueBuilder builder_;
    Json scratch_;
};

}  // namespace

const Json* AcnSimObject::find(std::string_view key) const {
    for (auto it = attributes.rbegin(); it != attributes.rend(); ++it)
        if (it->first == key) return &it->second;
    return nullptr;
}

std::optional<std::string> json_string_document(std::string_view text, const std::filesystem::path& file) {
    const auto fail = [&](const std::string& why, std::size_t at) -> std::optional<std::string> {
        throw DataError(file.string() + ": invalid JSON: " + why + " at byte " + std::to_string(at + 1));
    };
    std::size_t i = 0;
    while (i < text.size() && is_space(text[i])) ++i;
    if (i == text.size() || text[i] != '"') return std::nullopt;
    const auto hex4 = [&](std::size_t at) {
        if (at + 4 > text.size()) fail("expected four hex digits after \\u", at);
        std::uint32_t v = 0;
        for (std::size_t k = at; k < at + 4; ++k) {
            const char c = text[k];
            const int d = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                 : -1;
            if (d < 0) fail("expected four hex digits after \\u", at);
            v = v * 16 + static_cast<std::uint32_t>(d);
        }
        return v;
    };
    std::string out;
    out.reserve(text.size());
    for (++i;;) {
        const std::size_t run = i;
        while (i < text.size() && text[i] != '"' && text[i] != '\\' &&
               static_cast<unsigned char>(text[i]) >= 0x20)
            ++i;
        out.append(text, run, i - run);
        if (i == text.size()) fail("unterminated string", i);
        if (text[i] == '"') break;
        if (text[i] != '\\') fail("control character in a string", i);
        if (++i == text.size()) fail("unterminated string", i);
        switch (text[i]) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                std::uint32_t cp = hex4(i + 1);
                i += 4;
                if (cp >= 0xDC00 && cp <= 0xDFFF) fail("lone low surrogate", i - 5);
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (i + 2 >= text.size() || text[i + 1] != '\\' || text[i + 2] != 'u')
                        fail("high surrogate without its low surrogate", i - 5);
                    const std::uint32_t low = hex4(i + 3);
                    if (low < 0xDC00 || low > 0xDFFF) fail("high surrogate without its low surrogate", i - 5);
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
                append_utf8(out, cp);
                break;
            }
            default:
                fail("invalid escape", i - 1);
        }
        ++i;
    }
    for (std::size_t j = i + 1; j < text.size(); ++j)
        if (!is_space(text[j])) fail("unexpected content after the string", j);
    return out;
}

AcnSimDocument read_acnsim_document(std::string_view text, const std::filesystem::path& file) {
    AcnSimDocument doc;
    Handler handler(doc, file);
    const std::optional<std::string> inner = json_string_document(text, file);
    const std::string_view json = inner ? std::string_view(*inner) : text;
    Json::sax_parse(json.begin(), json.end(), &handler);
    return doc;
}

}  // namespace evtwin
