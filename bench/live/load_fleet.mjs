// A fleet of charge points on one node process (ocpp_j_client.mjs over tests/interop's ws) against
// `evtwin serve --strategy ... --clock fast:SPEED`, in three phases:
//   connect  every charge point connects, boots and starts a transaction on connector (EVSE) 1, all
//            at once, as after a restart of the server;
//   meter    once all have started, each sends MeterValues every METER_S virtual seconds for RUN_S
//            real seconds: the site as it runs for hours;
//   stop     once all have sent their last, each stops its transaction and closes.
// The latency figures (`latency_ms`, `lost`) are those of the meter phase's MeterValues; the connect
// and stop phases report their length and their calls' latency apart (a connection's WebSocket
// handshake counted as one call), so that a thousand handshakes at once are not mistaken for the
// steady load. Counts the SetChargingProfile calls received and those that discharge (a negative
// 2.1 setpoint). Prints one JSON object.
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
const METER_HOURS = Number(meterText) / 3600;
const METER_REAL_MS = (Number(meterText) * 1000) / SPEED;
const VERSIONS = process.env.VERSIONS ?? '1.6';
const BIDIRECTIONAL = process.env.BIDIRECTIONAL === '1';
let sent = 0, answered = 0, errors = 0, profiles = 0, discharging = 0;
const by_version = {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A phase's calls: how long each took, and when the phase began and ended.
class Phase {
  latencies = [];
  began = Infinity;
  ended = 0;
  async timed(promise) {
    const t0 = process.hrtime.bigint();
    this.began = Math.min(this.began, Date.now());
    const result = await promise;
    this.latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    this.ended = Math.max(this.ended, Date.now());
    return result;
  }
}
const connecting = new Phase(), metering = new Phase(), stopping = new Phase();

// Resolves every arrival, with the instant of the last, once `count` charge points have arrived.
class Barrier {
  constructor(count) {
    this.left = count;
    this.released = new Promise((resolve) => (this.release = resolve));
  }
  arrive() {
    if (--this.left === 0) this.release(Date.now());
    return this.released;
  }
}

function version_of(i) {
  if (VERSIONS !== 'mix') return VERSIONS;
  return ['1.6', '2.0.1', '2.1'][i % 3];
}

// An OCPP 1.6 charge point of one connector.
function chargePoint(i) {
  const id = `${prefix}${String(i + 1).padStart(4, '0')}`;
  const client = new OcppJClient(url, id, 'ocpp1.6');
  let bootTime = 0, bootWall = 0, tx = 0, wh = 0;
  const now = () => new Date(bootTime + (Date.now() - bootWall) * SPEED).toISOString();
  client.handle('SetChargingProfile', () => {
    profiles++;
    return { status: 'Accepted' };
  });
  client.handle('GetCompositeSchedule', ({ params }) => ({ status: 'Rejected', connectorId: params.connectorId }));
  return {
    async open() {
      await connecting.timed(client.connect());
      const boot = await connecting.timed(client.call('BootNotification', { chargePointVendor: 'evtwin', chargePointModel: 'LoadFleet' }));
      bootTime = Date.parse(boot.currentTime);
      bootWall = Date.now();
      const start = await connecting.timed(client.call('StartTransaction', { connectorId: 1, idTag: `T${i}`, meterStart: 0, timestamp: now() }));
      tx = start.transactionId;
      // The live clock, from the Heartbeat with the shortest round trip: the server's time plus half of it.
      let best = Infinity;
      for (let k = 0; k < 3; ++k) {
        const sentAt = Date.now();
        const beat = await connecting.timed(client.call('Heartbeat', {}));
        const rtt = Date.now() - sentAt;
        if (rtt < best) {
          best = rtt;
          bootTime = Date.parse(beat.currentTime) + (rtt / 2) * SPEED;
          bootWall = Date.now();
        }
      }
    },
    meter() {
      wh += 11_000 * METER_HOURS;
      return client.call('MeterValues', {
        connectorId: 1, transactionId: tx,
        meterValue: [{ timestamp: now(), sampledValue: [
          { value: String(Math.round(wh)), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
          { value: '11000', measurand: 'Power.Active.Import', unit: 'W' },
        ] }],
      });
    },
    async close() {
      await stopping.timed(client.call('StopTransaction', { transactionId: tx, meterStop: Math.round(wh), timestamp: now() }));
      await client.close();
    },
    abandon: () => client.close(),
  };
}

// An OCPP 2.0.1 or 2.1 charging station of one EVSE: the same session as a 1.6 charge point's,
// its meter in TransactionEvent Updated; bidirectional 2.1 stations follow their setpoints.
function station(i, version) {
  const id = `${prefix}${String(i + 1).padStart(4, '0')}`;
  const client = new OcppJClient(url, id, `ocpp${version}`);
  const bidirectional = BIDIRECTIONAL && version === '2.1';
  let powerW = 11_000, importWh = 0, exportWh = 0, seqNo = 0;
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
  const meter = (context) => {
    const sampled = [{ value: Math.round(importWh), measurand: 'Energy.Active.Import.Register', context }];
    if (bidirectional) sampled.push({ value: Math.round(exportWh), measurand: 'Energy.Active.Export.Register', context });
    sampled.push({ value: Math.max(0, powerW), measurand: 'Power.Active.Import', context });
    if (bidirectional) sampled.push({ value: Math.max(0, -powerW), measurand: 'Power.Active.Export', context });
    return [{ timestamp: now(), sampledValue: sampled }];
  };
  const event = (eventType, triggerReason, context) => client.call('TransactionEvent', {
    eventType, timestamp: now(), triggerReason, seqNo: seqNo++,
    transactionInfo: { transactionId: `${id}-TX`, chargingState: 'Charging' },
    evse: { id: 1, connectorId: 1 }, meterValue: meter(context),
    ...(eventType === 'Started' ? { idToken: { idToken: `T${i}`, type: 'ISO14443' } } : {}),
  });
  return {
    async open() {
      await connecting.timed(client.connect());
      const boot = await connecting.timed(client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'LoadFleet', vendorName: 'evtwin' } }));
      bootTime = Date.parse(boot.currentTime);
      bootWall = Date.now();
      if (bidirectional) {
        await connecting.timed(client.call('NotifyEVChargingNeeds', {
          evseId: 1, timestamp: now(),
          chargingNeeds: {
            requestedEnergyTransfer: 'AC_BPT', availableEnergyTransfer: ['AC_three_phase', 'AC_BPT'], controlMode: 'ScheduledControl',
            departureTime: new Date(bootTime + 4 * 3600e3).toISOString(),
            v2xChargingParameters: { evTargetEnergyRequest: 15000, maxChargePower: 11000, maxDischargePower: 7000 },
          },
        }));
      }
      await connecting.timed(event('Started', 'CablePluggedIn', 'Transaction.Begin'));
    },
    meter() {
      if (powerW > 0) importWh += powerW * METER_HOURS;
      else exportWh += -powerW * METER_HOURS;
      return event('Updated', 'MeterValuePeriodic', 'Sample.Periodic');
    },
    async close() {
      await stopping.timed(event('Ended', 'EVDeparted', 'Transaction.End'));
      await client.close();
    },
    abandon: () => client.close(),
  };
}

const connected = new Barrier(N), metered = new Barrier(N);

async function meterUntil(cp, until) {
  // Spread the charge points' meter instants over the interval.
  await sleep(Math.random() * METER_REAL_MS);
  while (Date.now() < until) {
    const next = Date.now() + METER_REAL_MS;
    sent++;
    try {
      await metering.timed(cp.meter());
      answered++;
    } catch (e) {
      errors++;
    }
    await sleep(Math.max(0, next - Date.now()));
  }
}

async function play(i) {
  const version = version_of(i);
  by_version[version] = (by_version[version] ?? 0) + 1;
  const cp = version === '1.6' ? chargePoint(i) : station(i, version);
  let failure = null;
  try {
    await cp.open();
  } catch (e) {
    failure = e;
  }
  const all_started = await connected.arrive();
  if (!failure) await meterUntil(cp, all_started + RUN_MS);
  await metered.arrive();
  if (failure) {
    await cp.abandon();  // its connection, if open, would keep the process alive
    throw failure;
  }
  await cp.close();
}

const quantile = (list, q) => {
  if (!list.length) return null;
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const summary = (list) => ({ p50: quantile(list, 0.5), p99: quantile(list, 0.99), max: quantile(list, 1) });
const phase = (p) => ({ seconds: p.latencies.length ? (p.ended - p.began) / 1000 : 0, calls: p.latencies.length, latency_ms: summary(p.latencies) });
const results = await Promise.allSettled(Array.from({ length: N }, (_, i) => play(i)));
const failed = results.filter((r) => r.status === 'rejected');
console.log(JSON.stringify({
  charge_points: N, versions: by_version, connected_and_played: N - failed.length, meter_values_sent: sent, answered, errors,
  lost: sent - answered, latency_ms: summary(metering.latencies),
  connect: phase(connecting), stop: phase(stopping),
  profiles, discharging_profiles: discharging,
  first_failure: failed.length ? String(failed[0].reason) : null,
}));
