#include "ocpp/actions.hpp"

#include <algorithm>
#include <iterator>

namespace evtwin::ocpp {

namespace {

// From the message schemas of OCPP 1.6 and 2.0.1 (../shared/data/ocpp/schemas/v16, v201).
constexpr std::string_view kFromStation[] = {"Authorize",
                                             "BootNotification",
                                             "ClearedChargingLimit",
                                             "DiagnosticsStatusNotification",
                                             "FirmwareStatusNotification",
                                             "Get15118EVCertificate",
                                             "GetCertificateStatus",
                                             "Heartbeat",
                                             "LogStatusNotification",
                                             "MeterValues",
                                             "NotifyChargingLimit",
                                             "NotifyCustomerInformation",
                                             "NotifyDisplayMessages",
                                             "NotifyEVChargingNeeds",
                                             "NotifyEVChargingSchedule",
                                             "NotifyEvent",
                                             "NotifyMonitoringReport",
                                             "NotifyReport",
                                             "PublishFirmwareStatusNotification",
                                             "ReportChargingProfiles",
                                             "ReservationStatusUpdate",
                                             "SecurityEventNotification",
                                             "SignCertificate",
                                             "SignedFirmwareStatusNotification",
                                             "StartTransaction",
                                             "StatusNotification",
                                             "StopTransaction",
                                             "TransactionEvent"};
constexpr std::string_view kFromCsms[] = {"CancelReservation",
                                          "CertificateSigned",
                                          "ChangeAvailability",
                                          "ChangeConfiguration",
                                          "ClearCache",
                                          "ClearChargingProfile",
                                          "ClearDisplayMessage",
                                          "ClearVariableMonitoring",
                                          "CostUpdated",
                                          "CustomerInformation",
                                          "DeleteCertificate",
                                          "ExtendedTriggerMessage",
                                          "GetBaseReport",
                                          "GetChargingProfiles",
                                          "GetCompositeSchedule",
                                          "GetConfiguration",
                                          "GetDiagnostics",
                                          "GetDisplayMessages",
                                          "GetInstalledCertificateIds",
                                          "GetLocalListVersion",
                                          "GetLog",
                                          "GetMonitoringReport",
                                          "GetReport",
                                          "GetTransactionStatus",
                                          "GetVariables",
                                          "InstallCertificate",
                                          "PublishFirmware",
                                          "RemoteStartTransaction",
                                          "RemoteStopTransaction",
                                          "RequestStartTransaction",
                                          "RequestStopTransaction",
                                          "ReserveNow",
                                          "Reset",
                                          "SendLocalList",
                                          "SetChargingProfile",
                                          "SetDisplayMessage",
                                          "SetMonitoringBase",
                                          "SetMonitoringLevel",
                                          "SetNetworkProfile",
                                          "SetVariableMonitoring",
                                          "SetVariables",
                                          "SignedUpdateFirmware",
                                          "TriggerMessage",
                                          "UnlockConnector",
                                          "UnpublishFirmware",
                                          "UpdateFirmware"};

bool listed(std::string_view action, const auto& list) {
    return std::find(std::begin(list), std::end(list), action) != std::end(list);
}

}  // namespace

Direction call_direction(std::string_view action) {
    if (listed(action, kFromStation)) return Direction::cs_to_csms;
    if (listed(action, kFromCsms)) return Direction::csms_to_cs;
    return Direction::unknown;  // DataTransfer (both ways) or not an OCPP action
}

bool is_known_action(std::string_view action) {
    return action == "DataTransfer" || call_direction(action) != Direction::unknown;
}

}  // namespace evtwin::ocpp
