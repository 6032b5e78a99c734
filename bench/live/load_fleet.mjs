// A fleet of charge points on one node process (ocpp_j_client.mjs over tests/interop's ws) against
// `evtwin serve --strategy ... --clock fast:SPEED`: each connects, starts a transaction on connector
// (EVSE) 1 and sends MeterValues every METER_S virtual seconds for RUN_S real seconds. Measures the
// CALLRESULT latency of every MeterValues, counts lost frames (a CALL never answered), the
// SetChargingProfile calls received and those that discharge (a negative 2.1 setpoint). Prints one
// JSON object.
// VERSIONS: 1.6 (default), 2.0.1, 2.1, or mix (1.6, 2.0.1 and 2.1 in turn). BIDIRECTIONAL=1: the
// 2.1 stations declare ISO 15118-20 bidirectional needs (7 kW discharge, 15 kWh wanted) and follow
// their setpoints, importing or exporting.
// Usage: node load_fleet.mjs WS_URL CHARGE_POINTS SPEED RUN_S METER_S [ID_PREFIX]
import { OcppJClient } from './ocpp_j_client.mjs';

const [url, nText, speedText, runText, meterText, prefix = 'CP'] = process.argv.slice(2);
if (!url || !nText || !speedText || !runText || !meterText) {
  console.error('usage: node load_fleet.mjs WS_URL CHARGE_POINTS SPEED RUN_S METER_S [ID_PREFIX]');
  process.exit(2);
}
const N = Number(nText), SPEED = Number(speedText), RUN_MS = Number(runText) * 1000;
const METER_REAL_MS = (Number(meterText) * 1000) / SPEED;
const VERSIONS = process.env.VERSIONS ?? '1.6';
const BIDIRECTIONAL = process.env.BIDIRECTIONAL === '1';
const latencies = [];
let sent = 0, answered = 0, errors = 0, profiles = 0, discharging = 0;
const by_version = {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function version_of(i) {
  if (VERSIONS !== 'mix') return VERSIONS;
  return ['1.6', '2.0.1', '2.1'][i % 3];
}

async function chargePoint(i) {
  const version = version_of(i);
  if (version !== '1.6') return station(i, version);
  by_version[version] = (by_version[version] ?? 0) + 1;
  const id = `${prefix}${String(i + 1).padStart(4, '0')}`;
  const client = new OcppJClient(url, id, 'ocpp1.6');
  let bootTime = 0, bootWall = 0;
  const now = () => bootTime + (Date.now() - bootWall) * SPEED;
  client.handle('SetChargingProfile', () => {
    profiles++;
    return { status: 'Accepted' };
  });
  client.handle('GetCompositeSchedule', ({ params }) => ({ status: 'Rejected', connectorId: params.connectorId }));
  await client.connect();
  const boot = await client.call('BootNotification', { chargePointVendor: 'evtwin', chargePointModel: 'LoadFleet' });
  bootTime = Date.parse(boot.currentTime);
  bootWall = Date.now();
  const start = await client.call('StartTransaction', { connectorId: 1, idTag: `T${i}`, meterStart: 0, timestamp: new Date(now()).toISOString() });
  const tx = start.transactionId;
  // The live clock, from the Heartbeat with the shortest round trip: the server's time plus half of it.
  let best = Infinity;
  for (let k = 0; k < 3; ++k) {
    const sentAt = Date.now();
    const beat = await client.call('Heartbeat', {});
    const rtt = Date.now() - sentAt;
    if (rtt < best) {
      best = rtt;
      bootTime = Date.parse(beat.currentTime) + (rtt / 2) * SPEED;
      bootWall = Date.now();
    }
  }
  let wh = 0;
  const until = Date.now() + RUN_MS;
  // Spread the charge points' meter instants over the interval.
  await sleep(Math.random() * METER_REAL_MS);
  while (Date.now() < until) {
    const next = Date.now() + METER_REAL_MS;
    wh += 11_000 * (Number(meterText) / 3600);
    const t0 = process.hrtime.bigint();
    sent++;
    try {
      await client.call('MeterValues', {
        connectorId: 1, transactionId: tx,
        meterValue: [{ timestamp: new Date(now()).toISOString(), sampledValue: [
          { value: String(Math.round(wh)), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
          { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
        ] }],
      });
      answered++;
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    } catch (e) {
      errors++;
    }
    await sleep(Math.max(0, next - Date.now()));
  }
  await client.call('StopTransaction', { transactionId: tx, meterStop: Math.round(wh), timestamp: new Date(now()).toISOString() });
  await client.close();
}

// An OCPP 2.0.1 or 2.1 charging station of one EVSE: the same session as a 1.6 charge point's,
// its meter in TransactionEvent Updated; bidirectional 2.1 stations follow their setpoints.
async function station(i, version) {
  by_version[version] = (by_version[version] ?? 0) + 1;
  const id = `${prefix}${String(i + 1).padStart(4, '0')}`;
  const client = new OcppJClient(url, id, `ocpp${version}`);
  const bidirectional = BIDIRECTIONAL && version === '2.1';
  let powerW = 11_000, importWh = 0, exportWh = 0;
  let bootTime = 0, bootWall = 0;
  const now = () => new Date(bootTime + (Date.now() - bootWall) * SPEED).toISOString();
  client.handle('SetChargingProfile', ({ params }) => {
    profiles++;
    const schedule = params.chargingProfile.chargingSchedule[0];
    const period = schedule.chargingSchedulePeriod[0];
    if (period.setpoint !== undefined && period.setpoint < 0) discharging++;
    // A limit or setpoint in amperes is per phase, at the site's 230 V.
    const watts = schedule.chargingRateUnit === 'A' ? 230 * (period.numberPhases ?? 3) : 1;
    if (bidirectional && params.chargingProfile.chargingProfilePurpose === 'TxProfile')
      powerW = period.setpoint !== undefined ? period.setpoint * watts : Math.min(period.limit * watts, 11_000);
    return { status: 'Accepted' };
  });
  client.handle('GetCompositeSchedule', () => ({ status: 'Rejected' }));
  await client.connect();
  const boot = await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'LoadFleet', vendorName: 'evtwin' } });
  bootTime = Date.parse(boot.currentTime);
  bootWall = Date.now();
  const meter = (context) => {
    const sampled = [{ value: Math.round(importWh), measurand: 'Energy.Active.Import.Register', context }];
    if (bidirectional) sampled.push({ value: Math.round(exportWh), measurand: 'Energy.Active.Export.Register', context });
    sampled.push({ value: Math.max(0, powerW), measurand: 'Power.Active.Import', context });
    if (bidirectional) sampled.push({ value: Math.max(0, -powerW), measurand: 'Power.Active.Export', context });
    return [{ timestamp: now(), sampledValue: sampled }];
  };
  let seqNo = 0;
  const event = (eventType, triggerReason, context) => client.call('TransactionEvent', {
    eventType, timestamp: now(), triggerReason, seqNo: seqNo++,
    transactionInfo: { transactionId: `${id}-TX`, chargingState: 'Charging' },
    evse: { id: 1, connectorId: 1 }, meterValue: meter(context),
    ...(eventType === 'Started' ? { idToken: { idToken: `T${i}`, type: 'ISO14443' } } : {}),
  });
  if (bidirectional) {
    await client.call('NotifyEVChargingNeeds', {
      evseId: 1, timestamp: now(),
      chargingNeeds: {
        requestedEnergyTransfer: 'AC_BPT', availableEnergyTransfer: ['AC_three_phase', 'AC_BPT'], controlMode: 'ScheduledControl',
        departureTime: new Date(bootTime + 4 * 3600e3).toISOString(),
        v2xChargingParameters: { evTargetEnergyRequest: 15000, maxChargePower: 11000, maxDischargePower: 7000 },
      },
    });
  }
  await event('Started', 'CablePluggedIn', 'Transaction.Begin');
  const until = Date.now() + RUN_MS;
  await sleep(Math.random() * METER_REAL_MS);
  while (Date.now() < until) {
    const next = Date.now() + METER_REAL_MS;
    const hours = Number(meterText) / 3600;
    if (powerW > 0) importWh += powerW * hours;
    else exportWh += -powerW * hours;
    const t0 = process.hrtime.bigint();
    sent++;
    try {
      await event('Updated', 'MeterValuePeriodic', 'Sample.Periodic');
      answered++;
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    } catch (e) {
      errors++;
    }
    await sleep(Math.max(0, next - Date.now()));
  }
  await event('Ended', 'EVDeparted', 'Transaction.End');
  await client.close();
}

const quantile = (list, q) => {
  if (!list.length) return null;
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const results = await Promise.allSettled(Array.from({ length: N }, (_, i) => chargePoint(i)));
const failed = results.filter((r) => r.status === 'rejected');
console.log(JSON.stringify({
  charge_points: N, versions: by_version, connected_and_played: N - failed.length, meter_values_sent: sent, answered, errors,
  lost: sent - answered, latency_ms: { p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: quantile(latencies, 1) },
  profiles, discharging_profiles: discharging,
  first_failure: failed.length ? String(failed[0].reason) : null,
}));
