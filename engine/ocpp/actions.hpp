#pragma once
// The actions of OCPP 1.6, 2.0.1 and 2.1, and who sends each as a CALL.
#include "ocpp/frame.hpp"

#include <string_view>

namespace evtwin::ocpp {

bool is_known_action(std::string_view action);
// An action OCPP 2.1 has and 1.6 and 2.0.1 do not (NotifySettlement, SetDERControl, ...).
bool only_in_ocpp21(std::string_view action);
// The sender of a CALL with this action: cs_to_csms (BootNotification, MeterValues, ...),
// csms_to_cs (RemoteStartTransaction, SetChargingProfile, ...) or unknown (DataTransfer goes both ways).
Direction call_direction(std::string_view action);

}  // namespace evtwin::ocpp
