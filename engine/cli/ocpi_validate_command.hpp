#pragma once
// `evtwin ocpi validate`: an OCPI CDR or Session file's sessions run on a scenario's site and each
// compared with its record.
#include <evtwin/util/args.hpp>

namespace evtwin::cli {

int ocpi_validate(const Args& args);

}  // namespace evtwin::cli
