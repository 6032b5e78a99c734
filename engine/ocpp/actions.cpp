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

// The actions only OCPP 2.1 has (../shared/data/ocpp/schemas/v21 beside the others).
constexpr std::string_view kFromStation21[] = {"BatterySwap",
                                               "ClosePeriodicEventStream",
                                               "GetCertificateChainStatus",
                                               "NotifyDERAlarm",
                                               "NotifyDERStartStop",
                                               "NotifyPeriodicEventStream",
                                               "NotifyPriorityCharging",
                                               "NotifySettlement",
                                               "OpenPeriodicEventStream",
                                               "PullDynamicScheduleUpdate",
                                               "ReportDERControl",
                                               "VatNumberValidation"};
constexpr std::string_view kFromCsms21[] = {"AFRRSignal",
                                            "AdjustPeriodicEventStream",
                                            "ChangeTransactionTariff",
                                            "ClearDERControl",
                                            "ClearTariffs",
                                            "GetDERControl",
                                            "GetPeriodicEventStream",
                                            "GetTariffs",
                                            "NotifyAllowedEnergyTransfer",
                                            "NotifyWebPaymentStarted",
                                            "RequestBatterySwap",
                                            "SetDERControl",
                                            "SetDefaultTariff",
                                            "UpdateDynamicSchedule",
                                            "UsePriorityCharging"};

bool listed(std::string_view action, const auto& list) {
    return std::find(std::begin(list), std::end(list), action) != std::end(list);
}

}  // namespace

Direction call_direction(std::string_view action) {
    if (listed(action, kFromStation) || listed(action, kFromStation21)) return Direction::cs_to_csms;
    if (listed(action, kFromCsms) || listed(action, kFromCsms21)) return Direction::csms_to_cs;
    return Direction::unknown;  // DataTransfer (both ways) or not an OCPP action
}

bool only_in_ocpp21(std::string_view action) {
    return listed(action, kFromStation21) || listed(action, kFromCsms21);
}

bool is_known_action(std::string_view action) {
    return action == "DataTransfer" || call_direction(action) != Direction::unknown;
}

}  // namespace evtwin::ocpp
