#pragma once
// A JSON value read as a C++ type, with integers checked. nlohmann's get<T>() converts a number with
// a fraction, or one beyond T's range, without a check: an integer with too many digits is read as
// a floating-point number, and converting one out of T's range is undefined behaviour. A file's
// header read with checked_get gets the reader's "wrong type" error instead.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace evtwin::json_support {

// `value` as a T when it is a whole number within T's range; nullopt otherwise.
template <class T>
std::optional<T> whole_number(const nlohmann::json& value) {
    static_assert(std::is_integral_v<T> && !std::is_same_v<T, bool>);
    if (value.is_number_unsigned()) {
        const auto n = value.get<std::uint64_t>();
        if (std::in_range<T>(n)) return static_cast<T>(n);
    } else if (value.is_number_integer()) {
        const auto n = value.get<std::int64_t>();
        if (std::in_range<T>(n)) return static_cast<T>(n);
    }
    return std::nullopt;
}

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};

// `value` as a T, as get<T>() reads it, but an integer (or each integer of a vector) must be a whole
// number within its type's range. Throws nlohmann::json::type_error otherwise.
template <class T>
T checked_get(const nlohmann::json& value) {
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        if (const std::optional<T> n = whole_number<T>(value)) return *n;
        throw nlohmann::json::type_error::create(302, "expected a whole number within range", &value);
    } else if constexpr (IsVector<T>::value) {
        if (!value.is_array()) throw nlohmann::json::type_error::create(302, "expected an array", &value);
        T out;
        out.reserve(value.size());
        for (const nlohmann::json& element : value)
            out.push_back(checked_get<typename T::value_type>(element));
        return out;
    } else {
        return value.get<T>();
    }
}

}  // namespace evtwin::json_support
