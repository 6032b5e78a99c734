#pragma once
// Instants written as a user writes them, in local time of the zones the model tests use.
#include "model/local_time.hpp"

#include <string>

namespace evtwin::model_test {

// "2019-03-04 12:00" in Los Angeles (the SCE tariffs' zone).
inline Time la(const std::string& text) {
    static const TimeZone zone("America/Los_Angeles");
    return parse_time(text, zone);
}

}  // namespace evtwin::model_test
