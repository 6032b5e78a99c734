// The scripted site: which charge points exist, which sessions they play and how each reports its
// meter. Times are minutes after T0 on the payloads' virtual clock (the frames themselves carry wall time).

export const T0 = Date.UTC(2024, 2, 4, 7, 0, 0);
export const SAMPLE_MINUTES = 5;

export const iso = (minutes) => new Date(T0 + minutes * 60_000).toISOString();
export const ms = (minutes) => T0 + minutes * 60_000;

// Wh added to a register by `kw` over one sample interval, in whole Wh (meters count whole Wh).
export const interval_wh = (kw) => Math.round((kw * 1000 * SAMPLE_MINUTES) / 60);

// OCPP 1.6: `energy` / `power` say how each connector reports (unit, or null for the 1.6 default:
// no measurand and no unit, i.e. Energy.Active.Import.Register in Wh). Sessions on one connector
// follow each other; connectors play at the same time. `power` is kW per sample interval.
export const chargePoints16 = [
  {
    id: 'CP16-A',
    register: { 1: 1_250_000, 2: 830_517 },
    energy: { 1: 'Wh', 2: 'kWh' },
    power: { 1: 'W', 2: 'kW' },
    phases: false,
    faults: [],
    sessions: [
      { connector: 1, idTag: 'TAG-0001', start: 10, kw: [11, 11, 11, 7.4, 7.4, 3.7], reason: 'EVDisconnected' },
      { connector: 2, idTag: 'TAG-0002', start: 12, kw: [22, 22, 22, 22, 11, 11, 11, 4.6] },
      { connector: 1, idTag: 'TAG-0003', start: 60, kw: [7.4, 7.4, 7.4, 7.4], remoteStart: true, remoteStop: true },
      { connector: 2, idTag: 'BAD-0666', start: 70, rejected: true },
      { connector: 2, idTag: 'TAG-0001', start: 80, kw: [3.6, 3.6, 3.6], reason: 'Local' },
    ],
  },
  {
    id: 'CP16-B',
    register: { 1: 42_001 },
    energy: { 1: null },
    power: { 1: 'W' },
    phases: true,
    faults: [{ connector: 1, at: 2, until: 6, errorCode: 'GroundFailure' }],
    sessions: [
      { connector: 1, idTag: 'TAG-0004', start: 15, kw: [11.04, 11.04, 10.5, 9.2, 6.9], reason: 'EVDisconnected' },
      { connector: 1, idTag: 'TAG-0002', start: 55, kw: [7.36, 7.36] },
    ],
  },
];

// OCPP 2.0.1: `updated` is the unitOfMeasure of the energy register in TransactionEvent Updated
// (Started reports kWh, Ended Wh with no multiplier); `power` the unitOfMeasure of the power.
export const stations201 = [
  {
    id: 'CS201-A',
    register: { 1: 2_000_000, 2: 512_345 },
    updated: { 1: { unit: 'Wh', multiplier: 0 }, 2: { unit: 'Wh', multiplier: 3 } },
    power: { 1: { unit: 'W', multiplier: 0 }, 2: { unit: 'W', multiplier: 3 } },
    soc: false,
    sessions: [
      { evse: 1, idToken: 'EMAID-DE-0001', start: 5, kw: [11, 11, 11, 11, 8.2], reason: 'EVDisconnected' },
      { evse: 2, idToken: 'EMAID-DE-0002', start: 8, kw: [22, 22, 16.5, 16.5, 16.5, 9.9], remoteStart: true },
      { evse: 1, idToken: 'EMAID-XX-9999', start: 40, rejected: true },
      { evse: 1, idToken: 'EMAID-DE-0003', start: 45, kw: [7.4, 7.4, 7.4], remoteStop: true },
    ],
  },
  {
    id: 'CS201-B',
    register: { 1: 7_654_321 },
    updated: { 1: { unit: 'Wh', multiplier: -1 } },
    power: { 1: { unit: 'kW', multiplier: 0 } },
    soc: { capacityKwh: 64, start: 23 },
    sessions: [
      { evse: 1, idToken: 'EMAID-NL-0042', start: 3, kw: [50, 50, 48.5, 41.2, 30.1, 18.7, 9.5], reason: 'Local' },
    ],
  },
];
