#pragma once
// Stored texts (the health grade's reasons) use a few mathematical signs that ImGui's built-in font
// (Basic Latin and Latin-1 only) would draw as '?': they are spelt in ASCII for display.
#include <string>
#include <string_view>

namespace evtwin::viewer {

// "≥" -> ">=", "≤" -> "<=", "−" (minus), "–" and "—" (dashes) -> "-"; everything else unchanged.
std::string plain_text(std::string_view utf8);

}  // namespace evtwin::viewer
