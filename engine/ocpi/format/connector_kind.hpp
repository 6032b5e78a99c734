#pragma once
// How a charger's connectors are built, as OCPI names it, from what a scenario tells of a charger:
// a type 2 socket, or a combo cable for DC; one phase up to 7.4 kW (32 A at 230 V), else three.
// `evtwin ocpi export` and the live endpoints describe connectors alike.

namespace evtwin::ocpi {

struct ConnectorKind {
    const char* standard;    // ConnectorType
    const char* format;      // ConnectorFormat
    const char* power_type;  // PowerType
    int phases;
};

inline ConnectorKind connector_kind(bool dc, double max_kw) {
    if (dc) return {"IEC_62196_T2_COMBO", "CABLE", "DC", 1};
    if (max_kw > 7.4) return {"IEC_62196_T2", "SOCKET", "AC_3_PHASE", 3};
    return {"IEC_62196_T2", "SOCKET", "AC_1_PHASE", 1};
}

}  // namespace evtwin::ocpi
