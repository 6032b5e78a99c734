#include "data/acnsim_document.hpp"

#include "data/json_events.hpp"

#include <cstdint>

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
                if (next_ == Next::context) {
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
    ValueBuilder builder_;
    Json scratch_;
};

}  // namespace

const Json* AcnSimObject::find(std::string_view key) const {
    for (auto it = attributes.rbegin(); it != attributes.rend(); ++it)
        if (it->first == key) return &it->second;
    return nullptr;
}

AcnSimDocument read_acnsim_document(std::string text, const std::filesystem::path& file) {
    const bool wrapped = unwrap_json_string_document(text, file);
    AcnSimDocument doc;
    Handler handler(doc, text.size());
    read_json_events(text, handler, file, wrapped ? " of the JSON in the file's string" : "");
    handler.finish();
    return doc;
}

}  // namespace evtwin
