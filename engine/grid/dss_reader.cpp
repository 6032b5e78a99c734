#include "grid/dss_reader.hpp"

#include "grid/dss_elements.hpp"

#include <evtwin/errors.hpp>

#include <fstream>
#include <sstream>
#include <type_traits>
#include <variant>

namespace evtwin::grid::dss {
namespace {

// Scripts that redirect to each other deeper than this are taken for a loop.
constexpr int max_redirect_depth = 16;

using Element = std::variant<CircuitSpec*, LineCodeSpec*, LineSpec*, TransformerSpec*, RegulatorControl*,
                             LoadSpec*, CapacitorSpec*>;

class ScriptReader {
public:
    void read(std::string_view text, const std::string& file_name, const std::filesystem::path* folder,
              int depth) {
        std::istringstream lines{std::string(text)};
        std::string line;
        Where where{file_name, 0};
        bool in_block_comment = false;
        while (std::getline(lines, line)) {
            ++where.line;
            const std::size_t first = line.find_first_not_of(" \t\r");
            if (first == std::string::npos) continue;
            if (in_block_comment) {
                if (line.find("*/") != std::string::npos) in_block_comment = false;
                continue;
            }
            if (line.compare(first, 2, "/*") == 0) {
                in_block_comment = line.find("*/", first + 2) == std::string::npos;
                continue;
            }
            statement(split_params(line, where), where, folder, depth);
        }
        if (in_block_comment) where.fail("expected '*/' to close a comment block");
    }

    Script script;

private:
    void statement(std::vector<Param> params, const Where& where, const std::filesystem::path* folder,
                   int depth) {
        if (params.empty()) return;
        const Param head = params.front();
        params.erase(params.begin());
        if (!head.name.empty()) {
            // "Class.Name.property=value" edits that element's property.
            const std::size_t dot = head.name.rfind('.');
            if (dot == std::string::npos) where.fail("expected a command, got '" + head.name + "='");
            // The rest of the line sets more properties of the same element.
            params.insert(params.begin(), Param{head.name.substr(dot + 1), head.value, head.delimited});
            edit(head.name.substr(0, dot), params, where);
            return;
        }
        const std::string command = lower(head.value);
        if (command == "new" || command == "edit") {
            if (params.empty()) where.fail("expected an element (Class.Name) after " + head.value);
            Param object = params.front();
            params.erase(params.begin());
            if (!object.name.empty() && object.name != "object")
                where.fail("expected Class.Name after " + head.value);
            command == "new" ? create(lower(object.value), params, where)
                             : edit(lower(object.value), params, where);
        } else if (command == "~" || command == "more" || command == "m") {
            if (!active_) where.fail("a continuation line with no element before it");
            apply(*active_, params, where);
        } else if (command == "redirect" || command == "compile") {
            if (params.empty()) where.fail("expected a file name after " + head.value);
            if (!folder) where.fail(head.value + " is not available here: the script has no folder");
            if (depth >= max_redirect_depth) where.fail("redirects nested deeper than 16 files");
            const std::filesystem::path path = *folder / params.front().value;
            std::ifstream in(path, std::ios::binary);
            if (!in) where.fail("cannot read " + path.string());
            std::ostringstream text;
            text << in.rdbuf();
            const std::filesystem::path inner_folder = path.parent_path();
            read(text.str(), path.string(), &inner_folder, depth + 1);
        } else if (command == "set") {
            for (const Param& p : params) set_option(p, where);
        } else if (command == "clear") {
            script = Script{};
            active_.reset();
        } else if (!ignored_command(command)) {
            where.fail("unsupported command '" + head.value + "'");
        }
    }

    // Commands that ask OpenDSS for output or a solution: the reader has nothing to do for them.
    static bool ignored_command(const std::string& command) {
        for (const char* name : {"solve", "calcvoltagebases", "calcv", "show", "plot", "export", "buscoords",
                                 "makebuslist", "visualize", "summary", "help"})
            if (command == name) return true;
        return false;
    }

    void set_option(const Param& p, const Where& where) {
        if (p.name == "voltagebases")
            script.voltage_bases_kv = numbers(p, where);
        else if (p.name == "defaultbasefrequency" || p.name == "basefrequency")
            script.frequency_hz = number(p, where);
        else if (p.name == "controlmode" || p.name == "maxiterations" || p.name == "tolerance" ||
                 p.name == "maxcontroliter") {
        } else
            where.fail("unsupported option '" + p.name + "' of Set");
    }

    static std::pair<std::string, std::string> split_object(const std::string& object, const Where& where) {
        const std::size_t dot = object.find('.');
        if (dot == std::string::npos || dot == 0 || dot + 1 == object.size())
            where.fail("expected Class.Name, got '" + object + "'");
        return {object.substr(0, dot), object.substr(dot + 1)};
    }

    template <typename Spec>
    Spec* add(std::vector<Spec>& list, const std::string& name, const Where& where) {
        for (Spec& s : list)
            if (s.name == name) where.fail("an element named '" + name + "' of this class already exists");
        Spec& spec = list.emplace_back();
        spec.name = name;
        if constexpr (requires { spec.where; }) spec.where = where;
        return &spec;
    }

    void create(const std::string& object, const std::vector<Param>& params, const Where& where) {
        const auto [cls, name] = split_object(object, where);
        Element element;
        if (cls == "circuit") {
            if (script.circuit) where.fail("a second Circuit");
            script.circuit.emplace();
            script.circuit->name = name;
            script.circuit->where = where;
            element = &*script.circuit;
        } else if (cls == "linecode")
            element = add(script.linecodes, name, where);
        else if (cls == "line")
            element = add(script.lines, name, where);
        else if (cls == "transformer")
            element = add(script.transformers, name, where);
        else if (cls == "regcontrol")
            element = add(script.regulators, name, where);
        else if (cls == "load")
            element = add(script.loads, name, where);
        else if (cls == "capacitor")
            element = add(script.capacitors, name, where);
        else
            where.fail("unsupported class '" + cls +
                       "': expected Circuit, Line, LineCode, Load, Transformer, RegControl or Capacitor");
        active_ = element;
        apply(element, params, where);
    }

    void edit(const std::string& object, const std::vector<Param>& params, const Where& where) {
        const auto [cls, name] = split_object(object, where);
        const auto element = find(cls, name);
        if (!element) where.fail("no element " + object + " to edit");
        active_ = element;
        apply(*element, params, where);
    }

    template <typename Spec>
    static Spec* named(std::vector<Spec>& list, const std::string& name) {
        for (Spec& s : list)
            if (s.name == name) return &s;
        return nullptr;
    }

    std::optional<Element> find(const std::string& cls, const std::string& name) {
        auto some = [](auto* p) -> std::optional<Element> {
            return p ? std::optional<Element>(p) : std::nullopt;
        };
        if (cls == "circuit") return script.circuit ? std::optional<Element>(&*script.circuit) : std::nullopt;
        if (cls == "linecode") return some(named(script.linecodes, name));
        if (cls == "line") return some(named(script.lines, name));
        if (cls == "transformer") return some(named(script.transformers, name));
        if (cls == "regcontrol") return some(named(script.regulators, name));
        if (cls == "load") return some(named(script.loads, name));
        if (cls == "capacitor") return some(named(script.capacitors, name));
        return std::nullopt;
    }

    void apply(Element element, const std::vector<Param>& params, const Where& where) {
        std::visit(
            [&](auto* spec) {
                for (const Param& p : params) {
                    if (p.name.empty())
                        where.fail("expected name=value, got '" + p.value +
                                   "' (properties by position are not supported)");
                    if (p.name == "like")
                        copy_like(*spec, lower(p.value), where);
                    else
                        set_property(*spec, p, where);
                }
            },
            element);
    }

    // "like=other": the element takes every property of the other element of its class, its own
    // name kept; the properties after it change the copy.
    template <typename Spec>
    void copy_like(Spec& spec, const std::string& other, const Where& where) {
        const Spec* source = nullptr;
        if constexpr (std::is_same_v<Spec, LineCodeSpec>) source = named(script.linecodes, other);
        if constexpr (std::is_same_v<Spec, LineSpec>) source = named(script.lines, other);
        if constexpr (std::is_same_v<Spec, TransformerSpec>) source = named(script.transformers, other);
        if constexpr (std::is_same_v<Spec, RegulatorControl>) source = named(script.regulators, other);
        if constexpr (std::is_same_v<Spec, LoadSpec>) source = named(script.loads, other);
        if constexpr (std::is_same_v<Spec, CapacitorSpec>) source = named(script.capacitors, other);
        if (!source || source == &spec)
            where.fail("like=" + other + ": no other element of this class by that name");
        const std::string name = spec.name;
        spec = *source;
        spec.name = name;
        if constexpr (requires { spec.where; }) spec.where = where;
    }

    std::optional<Element> active_;
};

Network read(std::string_view text, const std::string& file_name, const std::filesystem::path* folder) {
    ScriptReader reader;
    reader.read(text, file_name, folder, 0);
    return build_network(reader.script);
}

}  // namespace
}  // namespace evtwin::grid::dss

namespace evtwin::grid {

Network read_dss_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path.string() + ": cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    const std::filesystem::path folder = path.parent_path();
    return dss::read(text.str(), path.string(), &folder);
}

Network read_dss_text(std::string_view text, const std::string& file_name) {
    return dss::read(text, file_name, nullptr);
}

}  // namespace evtwin::grid
