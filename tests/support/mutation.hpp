#pragma once
// Random edits of a text, for property tests of parsers.
#include "util/rng.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace evtwin::test {

// Applies 1..max_edits random edits to `input`, each a byte replaced, 1..max_erase bytes erased or a
// byte inserted; new bytes come from `alphabet`.
inline void mutate(std::string& input, Rng& rng, std::string_view alphabet, std::uint64_t max_edits = 3,
                   std::uint64_t max_erase = 3) {
    const std::uint64_t edits = 1 + rng.below(max_edits);
    for (std::uint64_t e = 0; e < edits && !input.empty(); ++e) {
        const auto pos = static_cast<std::size_t>(rng.below(input.size()));
        const char c = alphabet[rng.below(alphabet.size())];
        switch (rng.below(3)) {
            case 0:
                input[pos] = c;
                break;
            case 1:
                input.erase(pos, 1 + rng.below(max_erase));
                break;
            default:
                input.insert(pos, 1, c);
                break;
        }
    }
}

}  // namespace evtwin::test
