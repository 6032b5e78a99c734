#pragma once
// A reader of the OpenDSS script subset that describes a feeder: Circuit, Line (switch=y too),
// LineCode, Load, Transformer, RegControl and Capacitor; New, Edit, "Class.Name.prop=value",
// "~" continuation lines, "!" and "//" comments and /* */ blocks, Redirect/Compile of files beside
// the script, Set VoltageBases. What it accepts and leaves out is listed in docs/grid.md. Bad
// input is a DataError naming the file, the line and what was expected.
#include "grid/network.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace evtwin::grid {

Network read_dss_file(const std::filesystem::path& path);

// The script's text as if read from `file_name`; Redirect and Compile are refused (there is no
// folder to read them from).
Network read_dss_text(std::string_view text, const std::string& file_name);

}  // namespace evtwin::grid
