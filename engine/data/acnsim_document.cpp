#include "data/acnsim_document.hpp"

#include "data/json_events.hpp"
#include "util/thread_beside.hpp"

#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>
#include <thread>

namespace evtwin {
namespace {

using Json = nlohmann::json;

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
class Handler final : public JsonEvents {
public:
    // `text_size` sizes the tables: the Caltech month's document has an attribute per 41 bytes and
    // an object per 248.
    Handler(AcnSimDocument& doc, std::size_t text_size) : doc_(doc) {
        doc_.attributes.reserve(text_size / 32);
        doc_.context.reserve(text_size / 200);
    }

    // A handler for a document's second part, read from a boundary between two objects of its
    // context_dict.
    static Handler for_second_part(AcnSimDocument& doc, std::size_t text_size) {
        Handler second(doc, text_size);
        second.levels_ = {Level::root, Level::context};
        second.next_ = Next::none;
        return second;
    }

    // Between two objects of context_dict: where the second part of a document starts.
    bool between_context_objects() const { return levels_.size() == 2 && levels_.back() == Level::context; }
    // What the second part changes beyond its own objects: the root id, or the whole context_dict
    // (a repeated key replaces the earlier value).
    bool read_id() const { return read_id_; }
    bool restarted_context() const { return restarted_context_; }

    // Points every object at its attributes, now that the list no longer moves.
    void finish() {
        for (const Range& r : ranges_)
            r.object->attributes =
                std::span<const AcnSimAttribute>(doc_.attributes).subspan(r.first, r.count);
    }

    void null() override { value(Json()); }
    void boolean(bool v) override { value(Json(v)); }
    void integer(std::int64_t v) override { value(Json(v)); }
    void unsigned_integer(std::uint64_t v) override { value(Json(v)); }
    void floating(double v) override { value(Json(v)); }
    void string(std::string& v) override {
        if (!builder_.active() && next_ == Next::cls) {
            entry_->cls = std::move(v);
            has_class_ = true;
            next_ = Next::none;
            return;
        }
        value(Json(std::move(v)));
    }

    void start_object() override {
        if (builder_.active()) return builder_.open(Json::object());
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
                return begin_value().open(Json::object());
        }
        next_ = Next::none;
    }
    void end_object() override {
        if (builder_.active()) return builder_.close();
        const Level done = levels_.back();
        levels_.pop_back();
        if (done == Level::entry) entry_->well_formed = has_class_ && has_attributes_;
    }
    void start_array() override {
        if (!builder_.active()) begin_value();
        builder_.open(Json::array());
    }
    void end_array() override { builder_.close(); }

    void key(std::string& k) override {
        if (builder_.active()) return builder_.key(std::move(k));
        switch (levels_.back()) {
            case Level::root:
                next_ = k == "id" ? Next::id : k == "context_dict" ? Next::context : Next::none;
                // A repeated key replaces the earlier value, as in a JSON object.
                read_id_ |= next_ == Next::id;
                if (next_ == Next::context) {
                    restarted_context_ = true;
                    doc_.has_context = false;
                    doc_.context.clear();
                    ranges_.clear();
                }
                break;
            case Level::context:
                entry_ = &doc_.context.insert_or_assign(std::move(k), AcnSimObject{}).first->second;
                ranges_.push_back({entry_, doc_.attributes.size(), 0});  // none, unless it has some
                next_ = Next::entry;
                break;
            case Level::entry:
                next_ = k == "class" ? Next::cls : k == "attributes" ? Next::attributes : Next::none;
                if (next_ == Next::cls) has_class_ = false;
                if (next_ == Next::attributes) {  // a repeated key replaces the attributes
                    has_attributes_ = false;
                    ranges_.push_back({entry_, doc_.attributes.size(), 0});
                }
                break;
            case Level::attributes:
                doc_.attributes.emplace_back(interned(k), Json());
                ++ranges_.back().count;
                next_ = Next::attribute;
                break;
        }
    }

private:
    enum class Level { root, context, entry, attributes };
    // What the value after the last key is, where the structure says.
    enum class Next { root, none, id, context, entry, cls, attributes, attribute };

    std::string_view interned(const std::string& k) {
        auto it = doc_.keys.find(k);
        if (it == doc_.keys.end()) it = doc_.keys.insert(k).first;
        return *it;
    }

    // A scalar where the structure expects something: kept where it belongs or dropped.
    void value(Json v) {
        if (!builder_.active()) {
            if (next_ == Next::attribute) {
                doc_.attributes.back().second = std::move(v);
            } else if (next_ == Next::id) {
                doc_.id = std::move(v);
            }
            next_ = Next::none;
            return;
        }
        builder_.value(std::move(v));
    }
    // An array or object value: the builder makes it, for the attribute or the id it is, or to drop.
    ValueBuilder& begin_value() {
        builder_.begin(next_ == Next::attribute ? doc_.attributes.back().second
                       : next_ == Next::id      ? doc_.id
                                                : scratch_);
        next_ = Next::none;
        return builder_;
    }

    struct Range {
        AcnSimObject* object;
        std::size_t first, count;  // in doc_.attributes
    };

    AcnSimDocument& doc_;
    std::vector<Range> ranges_;  // in file order: a later one of an object replaces an earlier
    std::vector<Level> levels_;
    Next next_ = Next::root;
    AcnSimObject* entry_ = nullptr;
    bool has_class_ = false, has_attributes_ = false;
    bool read_id_ = false, restarted_context_ = false;
    ValueBuilder builder_;
    Json scratch_;
};

// Where `comma_between_objects` ("}}, " and the quote that opens the next object's id) first comes
// a little past the middle of the text: the comma between two objects of context_dict, as acnportal
// writes them, a guess which reading the first part up to it confirms or not. The second part is
// the smaller: its thread starts later, and its first allocations take new memory (a malloc arena
// of its own). 58 % was the fastest split of 50, 58 and 64 % on the Caltech month.
std::optional<std::size_t> comma_past_middle(std::string_view text, std::string_view comma_between_objects) {
    constexpr std::size_t kLookFor = 64 * 1024;
    const std::size_t from = text.size() / 100 * 58;
    const std::size_t at = text.find(comma_between_objects, from);
    if (at == std::string_view::npos || at > from + kLookFor) return std::nullopt;
    return at + 2;
}

std::optional<JsonBoundary> context_boundary_past_middle(std::string_view text) {
    const std::optional<std::size_t> comma = comma_past_middle(text, "}}, \"");
    if (!comma) return std::nullopt;
    return JsonBoundary{*comma, {true, true}};
}

// Where the file's string may be cut for unwrap_json_string_head and _tail: such a comma in the
// string, its quote escaped (past 58 % of the string, which need not be the comma the JSON is read
// in two parts at).
std::optional<std::size_t> string_split_past_middle(std::string_view text) {
    return comma_past_middle(text, "}}, \\\"");
}

// unwrap_json_string_document, in two pieces at once when `text` is long enough to be read in two
// parts and has a place to cut its string at.
bool unwrap_document(std::string& text, const std::filesystem::path& file, std::size_t two_parts_from) {
    const std::optional<std::size_t> split = text.size() >= two_parts_from && starts_with_json_string(text)
                                                 ? string_split_past_middle(text)
                                                 : std::nullopt;
    if (!split) return unwrap_json_string_document(text, file);
    std::size_t tail_size = 0;
    std::exception_ptr tail_failure;
    std::size_t head_size = 0;
    {
        const std::jthread tail = start_thread_beside([&] {
            try {
                tail_size = unwrap_json_string_tail(text, *split, file);
            } catch (...) {
                tail_failure = std::current_exception();
            }
        });
        head_size = unwrap_json_string_head(text, *split, file);
    }
    if (tail_failure) std::rethrow_exception(tail_failure);
    std::memmove(text.data() + head_size, text.data() + *split, tail_size);
    text.resize(head_size + tail_size);
    return true;
}

}  // namespace

const Json* AcnSimObject::find(std::string_view key) const {
    for (auto it = attributes.rbegin(); it != attributes.rend(); ++it)
        if (it->first == key) return &it->second;
    return nullptr;
}

AcnSimDocument read_acnsim_document(std::string text, const std::filesystem::path& file,
                                    std::size_t two_parts_from) {
    const bool wrapped = unwrap_document(text, file, two_parts_from);
    const std::string_view where = wrapped ? " of the JSON in the file's string" : "";
    const std::optional<JsonBoundary> boundary =
        text.size() >= two_parts_from ? context_boundary_past_middle(text) : std::nullopt;
    AcnSimDocument doc;
    Handler handler(doc, boundary ? boundary->offset : text.size());
    if (!boundary) {
        read_json_events(text, handler, file, where);
        handler.finish();
        return doc;
    }

    AcnSimDocument second;
    Handler second_handler = Handler::for_second_part(second, text.size() - boundary->offset);
    std::exception_ptr second_failure;
    std::jthread second_reader = start_thread_beside([&] {
        try {
            read_json_events_from(text, *boundary, second_handler, file, where);
            second_handler.finish();
        } catch (...) {
            second_failure = std::current_exception();
        }
    });
    const bool stopped = read_json_events_until(text, &*boundary, handler, file, where);
    const bool split = stopped && handler.between_context_objects();
    // A wrong guess: this reader reads the whole text, and the other's work is dropped.
    if (stopped && !split) read_json_events_from(text, *boundary, handler, file, where);
    handler.finish();
    if (!split) return doc;

    second_reader.join();
    if (second_failure) std::rethrow_exception(second_failure);
    if (second_handler.read_id()) doc.id = std::move(second.id);
    if (second_handler.restarted_context()) {
        doc.has_context = second.has_context;
    } else {
        second.context.merge(doc.context);  // an object of the second part replaces one of the same id
    }
    doc.context = std::move(second.context);
    doc.second_part = std::make_unique<AcnSimDocument>(std::move(second));
    return doc;
}

}  // namespace evtwin
