#include "ocpp/actions.hpp"

#include <algorithm>
#include <iterator>

namespace evtwin::ocpp {

namespace {

// From the message schemas of OCPP 1.6, 2.0.1 and 2.1 (../shared/data/ocpp/schemas/v16, v201, v21).
constexpr std::string_view kFromStation[] = {"Authorize",
                                             "BatterySwap",
                                             "BootNotification",
                                             "ClearedChargingLimit",
                                             "ClosePeriodicEventStream",
                                             "DiagnosticsStatusNotification",
                                             "FirmwareStatusNotification",
                                             "Get15118EVCertificate",
                                             "GetCertificateChainStatus",
                                             "GetCertificateStatus",
                                             "Heartbeat",
                                             "LogStatusNotification",
                                             "MeterValues",
                                             "NotifyChargingLimit",
                                             "NotifyCustomerInformation",
                                             "NotifyDERAlarm",
                                             "NotifyDERStartStop",
                                             "NotifyDisplayMessages",
                                             "NotifyEVChargingNeeds",
                                             "NotifyEVChargingSchedule",
                                             "NotifyEvent",
                                             "NotifyMonitoringReport",
                                             "NotifyPeriodicEventStream",
                                             "NotifyPriorityCharging",
                                             "NotifyReport",
                                             "NotifySettlement",
                                             "OpenPeriodicEventStream",
                                             "PublishFirmwareStatusNotification",
                                             "PullDynamicScheduleUpdate",
                                             "ReportChargingProfiles",
                                             "ReportDERControl",
                                             "ReservationStatusUpdate",
                                             "SecurityEventNotification",
                                             "SignCertificate",
                                             "SignedFirmwareStatusNotification",
                                             "StartTransaction",
                                             "StatusNotification",
                                             "StopTransaction",
                                             "TransactionEvent",
                                             "VatNumberValidation"};
constexpr std::string_view kFromCsms[] = {"AFRRSignal",
                                          "AdjustPeriodicEventStream",
                                          "CancelReservation",
                                          "CertificateSigned",
                                          "ChangeAvailability",
                                          "ChangeConfiguration",
                                          "ChangeTransactionTariff",
                                          "ClearCache",
                                          "ClearChargingProfile",
                                          "ClearDERControl",
                                          "ClearDisplayMessage",
                                          "ClearTariffs",
                                          "ClearVariableMonitoring",
                                          "CostUpdated",
                                          "CustomerInformation",
                                          "DeleteCertificate",
                                          "ExtendedTriggerMessage",
                                          "GetBaseReport",
                                          "GetChargingProfiles",
                                          "GetCompositeSchedule",
                                          "GetConfiguration",
                                          "GetDERControl",
                                          "GetDiagnostics",
                                          "GetDisplayMessages",
                                          "GetInstalledCertificateIds",
                                          "GetLocalListVersion",
                                          "GetLog",
                                          "GetMonitoringReport",
                                          "GetPeriodicEventStream",
                                          "GetReport",
                                          "GetTariffs",
                                          "GetTransactionStatus",
                                          "GetVariables",
                                          "InstallCertificate",
                                          "NotifyAllowedEnergyTransfer",
                                          "NotifyWebPaymentStarted",
                                          "PublishFirmware",
                                          "RemoteStartTransaction",
                                          "RemoteStopTransaction",
                                          "RequestBatterySwap",
                                          "RequestStartTransaction",
                                          "RequestStopTransaction",
                                          "ReserveNow",
                                          "Reset",
                                          "SendLocalList",
                                          "SetChargingProfile",
                                          "SetDERControl",
                                          "SetDefaultTariff",
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
                                          "UpdateDynamicSchedule",
                                          "UpdateFirmware",
                                          "UsePriorityCharging"};

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
