// Plays a simulated run's sessions against evtwin's central system (`evtwin serve --strategy ...
// --clock fast:SPEED`), as OCPP 2.0.1 charging stations (ocpp-rpc RPCClient, strict mode): the live
// half of tests/interop/twin_equality_test.cpp.
//
// Each station takes the central system's time from BootNotification, then again from the
// Heartbeat of the shortest round trip among a few, and runs its clock SPEED times faster. At each
// session's arrival it starts a transaction (TransactionEvent Started with the vehicle's id as its
// idToken, the register and the vehicle's SoC) and declares the session's departure and energy
// (NotifyEVChargingNeeds); at its departure it ends it (TransactionEvent Ended). Meanwhile it meters
// the vehicle (TransactionEvent Updated: Energy.Active.Import.Register in whole Wh,
// Power.Active.Import, SoC) every virtual minute and READ_BEFORE_S seconds before every control-period
// boundary, arrival and departure of the plan, so that the twin decides on meters as fresh as the
// simulator's state, and whenever the vehicle's power changes: when a new limit changes it
// (triggerReason ChargingRateChanged) and when its request is met (ChargingStateChanged). It stays
// connected until the run's end.
//
// The vehicles' physics mirror the simulator's for a site whose chargers have efficiency 1 and whose
// vehicles take a constant power with no taper: a vehicle draws min(its own power, the limit in
// force for its transaction) until its requested energy is delivered, then nothing; the energy is
// integrated exactly on the station's virtual clock. A limit is in force from its profile's
// startSchedule (the instant the twin decided it; an Absolute profile applies from its start), and
// the first limit of a transaction from the transaction's start, since the simulator decides at the
// arrival itself: the milliseconds a decision takes and a profile travels, seconds on a fast clock,
// are not the vehicle's. Until its first limit comes the vehicle is counted as not drawing, and the
// energy is made up when it comes. The station's maximum (the sum of its EVSEs' limits) is recorded,
// not applied.
//
// Usage: node play_run.mjs WS_URL PLAN.json OUT.json
// PLAN: { speed, run_start_ms, run_end_ms, read_before_s, charge_points: { ID: EVSE count },
//         sessions: [{ session, charge_point, evse, id_tag, arrival_ms, departure_ms,
//                      declared_departure_ms, requested_kwh, initial_soc, capacity_kwh, vehicle_kw }] }
// OUT: { boots (each station's boot answer, Heartbeat round trip and when it was ready), sessions (as
// metered), profiles (each with its virtual time), readings (each with how late it was), failures }.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { RPCClient } from 'ocpp-rpc';
import standardValidators from 'ocpp-rpc/lib/standard-validators.js';

const [url, planFile, out] = process.argv.slice(2);
if (!url || !planFile || !out) {
  console.error('usage: node play_run.mjs WS_URL PLAN.json OUT.json');
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const SPEED = plan.speed;
const READ_BEFORE_MS = (plan.read_before_s ?? 5) * 1000;
const lastDeparture = Math.max(plan.run_start_ms, ...plan.sessions.map((s) => s.departure_ms));
const budgetMs = (lastDeparture - plan.run_start_ms) / SPEED + 60_000;
setTimeout(() => {
  console.error(`play_run.mjs: still running after ${Math.round(budgetMs / 1000)} s, giving up`);
  finish(1);
}, budgetMs).unref();

// When every vehicle is metered: every minute, and READ_BEFORE_MS before each boundary (boundaries
// are whole minutes), arrival and departure.
const readingTimes = (() => {
  const times = new Set();
  for (let t = plan.run_start_ms + 60_000; t <= lastDeparture + 60_000; t += 60_000) times.add(t - READ_BEFORE_MS);
  for (const s of plan.sessions) for (const t of [s.arrival_ms, s.departure_ms]) times.add(t - READ_BEFORE_MS);
  return [...times].sort((a, b) => a - b);
})();
const nextReading = (t) => readingTimes.find((r) => r > t) ?? Infinity;

const failures = [];
const profiles = [];
const readings = [];
const played = [];
const boots = {};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Station {
  constructor(id, evses) {
    Object.assign(this, { id, evses });
    this.vehicles = new Map(); // EVSE -> the vehicle plugged in
    this.schedules = new Map(); // EVSE -> the last schedule accepted, for GetCompositeSchedule
    this.client = new RPCClient({ endpoint: url, identity: id, protocols: ['ocpp2.0.1'], strictMode: true, reconnect: false });
    for (const event of ['strictValidationFailure', 'badMessage'])
      this.client.on(event, (e) => failures.push(`${id}: ${event}: ${e.error ?? e}`));
    this.client.handle('SetChargingProfile', ({ params }) => this.setProfile(params));
    this.client.handle('GetCompositeSchedule', ({ params }) => this.composite(params));
    this.client.handle('ClearChargingProfile', () => ({ status: 'Accepted' }));
  }

  now() {
    return this.bootTime + (performance.now() - this.bootWall) * SPEED;
  }
  iso(t = this.now()) {
    return new Date(Math.floor(t)).toISOString();
  }

  async waitUntil(t) {
    while (this.now() < t) await sleep(Math.max(0, Math.min(50, (t - this.now()) / SPEED)));
  }

  // A vehicle's energy brought to `now` at the power it draws, and its power from then on.
  static settle(v, now) {
    v.wh = Math.min(v.requestedWh, v.wh + (v.kw * 1000 * Math.max(0, now - v.since)) / 3_600_000);
    v.since = Math.max(v.since, now);
    v.kw = v.wh >= v.requestedWh || v.limitKw === undefined ? 0 : Math.max(0, Math.min(v.vehicleKw, v.limitKw));
  }

  kwOf(limit, unit, phases) {
    return unit === 'W' ? limit / 1000 : (limit * 230 * (phases ?? 3)) / 1000;
  }

  setProfile(p) {
    const profile = p.chargingProfile;
    const schedule = profile.chargingSchedule[0];
    const period = schedule.chargingSchedulePeriod[0];
    const kw = this.kwOf(period.limit, schedule.chargingRateUnit, period.numberPhases);
    const now = this.now();
    const start = Date.parse(schedule.startSchedule ?? this.iso(now));
    profiles.push({ cs: this.id, evse: p.evseId, purpose: profile.chargingProfilePurpose, kw, t_ms: now, start_ms: start, transaction: profile.transactionId ?? null });
    this.schedules.set(p.evseId, { unit: schedule.chargingRateUnit, limit: period.limit, phases: period.numberPhases });
    const v = this.vehicles.get(p.evseId);
    if (!v || (profile.transactionId !== undefined && profile.transactionId !== v.transaction)) return { status: 'Accepted' };
    // In force from its start (the first of a transaction from the transaction's start): the
    // energy since then is made again at the new power, never below what the meter has reported.
    const from = Math.min(now, Math.max(v.first ? v.arrival : start, v.changed));
    Station.settle(v, now);
    const drawn = v.kw;
    v.limitKw = kw;
    v.first = false;
    Station.settle(v, now);
    v.wh = Math.max(v.reportedWh, Math.min(v.requestedWh, v.wh + ((v.kw - drawn) * 1000 * (now - from)) / 3_600_000));
    Station.settle(v, now);
    v.changed = now;
    if (v.kw !== drawn) setImmediate(() => this.report(v, 'ChargingRateChanged'));
    this.armCompletion(v);
    return { status: 'Accepted' };
  }

  // A reading when the vehicle's request is met and it stops drawing.
  armCompletion(v) {
    clearTimeout(v.completion);
    if (v.kw <= 0) return;
    const hours = (v.requestedWh - v.wh) / (v.kw * 1000);
    v.completion = setTimeout(() => {
      Station.settle(v, this.now());
      if (v.kw === 0) this.report(v, 'ChargingStateChanged');
      else this.armCompletion(v);
    }, (hours * 3_600_000) / SPEED + 1);
  }

  // TransactionEvent Updated with the meter now; nothing once the transaction has ended.
  report(v, triggerReason, due = this.now()) {
    if (v.ended) return Promise.resolve();
    const at = this.now();
    Station.settle(v, at);
    readings.push({ session: v.session, trigger: triggerReason, t_ms: at, late_ms: at - due, wh: v.wh, kw: v.kw });
    return this.client.call('TransactionEvent', {
      eventType: 'Updated', timestamp: this.iso(at), triggerReason, seqNo: v.seqNo++,
      transactionInfo: { transactionId: v.transaction, chargingState: v.kw > 0 ? 'Charging' : 'SuspendedEV' },
      meterValue: this.meterValue(v, v.kw),
    }).catch((e) => failures.push(`${this.id}: ${triggerReason}: ${e.message ?? e}`));
  }

  composite(p) {
    const s = this.schedules.get(p.evseId);
    if (!s) return { status: 'Rejected' };
    return {
      status: 'Accepted',
      schedule: {
        evseId: p.evseId, duration: p.duration, scheduleStart: this.iso(), chargingRateUnit: s.unit,
        chargingSchedulePeriod: [{ startPeriod: 0, limit: s.limit, ...(s.phases ? { numberPhases: s.phases } : {}) }],
      },
    };
  }

  meterValue(v, kw) {
    v.reportedWh = v.wh;
    const soc = 100 * (v.initialSoc + v.wh / 1000 / v.capacityKwh);
    return [{ timestamp: this.iso(), sampledValue: [
      { value: Math.round(v.meterStartWh + v.wh), measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
      { value: Math.round(kw * 1000), measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
      { value: Math.round(soc * 1e4) / 1e4, measurand: 'SoC', unitOfMeasure: { unit: 'Percent' } },
    ] }];
  }

  async boot() {
    await this.client.connect();
    const boot = await this.client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'PlayRun201', vendorName: 'evtwin' } });
    this.bootTime = Date.parse(boot.currentTime);
    this.bootWall = performance.now();
    boots[this.id] = { current_time: boot.currentTime, status: boot.status };
    for (let evse = 1; evse <= this.evses; ++evse)
      await this.client.call('StatusNotification', { timestamp: this.iso(), connectorStatus: 'Available', evseId: evse, connectorId: 1 });
    await this.synchronise();
  }

  // The central system's time again, from the Heartbeat of the shortest round trip among a few, its
  // answer taken as given halfway: the boot's answer may come late, and SPEED times its delay would
  // put this clock seconds behind.
  async synchronise() {
    let best = Infinity;
    for (let i = 0; i < 8; ++i) {
      const sent = performance.now();
      const { currentTime } = await this.client.call('Heartbeat', {});
      const back = performance.now();
      if (back - sent < best) {
        best = back - sent;
        this.bootTime = Date.parse(currentTime);
        this.bootWall = (sent + back) / 2;
      }
    }
    boots[this.id].round_trip_ms = best;
    boots[this.id].ready_ms = Math.round(this.now()); // booted, its EVSEs available, its clock set
  }

  async play(s) {
    await this.waitUntil(s.arrival_ms);
    const tx = `${this.id}-${s.evse}-${s.session}`;
    const now = this.now();
    const v = {
      session: s.session, seqNo: 0, ended: false, completion: undefined, transaction: tx, arrival: now, changed: now, first: true, limitKw: undefined, wh: 0, reportedWh: 0, kw: 0,
      since: now, vehicleKw: s.vehicle_kw, requestedWh: s.requested_kwh * 1000, initialSoc: s.initial_soc,
      capacityKwh: s.capacity_kwh, meterStartWh: 1_000_000 * s.evse,
    };
    const record = { session: s.session, cs: this.id, evse: s.evse, transaction: tx, arrival_ms: now };
    this.vehicles.set(s.evse, v);
    // The vehicle declares its needs as ISO 15118 has it do before the power path closes, then the
    // transaction starts: the central system decides once, knowing them.
    await this.client.call('NotifyEVChargingNeeds', {
      evseId: s.evse,
      chargingNeeds: {
        requestedEnergyTransfer: 'AC_three_phase', departureTime: this.iso(s.declared_departure_ms),
        acChargingParameters: { energyAmount: Math.round(s.requested_kwh * 1000), evMinCurrent: 0, evMaxCurrent: 16, evMaxVoltage: 400 },
      },
    });
    record.declared_at_ms = this.now();
    await this.client.call('TransactionEvent', {
      eventType: 'Started', timestamp: this.iso(now), triggerReason: 'CablePluggedIn', seqNo: v.seqNo++,
      transactionInfo: { transactionId: tx, chargingState: 'EVConnected' }, evse: { id: s.evse, connectorId: 1 },
      idToken: { idToken: s.id_tag, type: 'Central' }, meterValue: this.meterValue(v, 0),
    });
    for (let t = nextReading(this.now()); t < s.departure_ms; t = nextReading(t)) {
      await this.waitUntil(t);
      await this.report(v, 'MeterValuePeriodic', t);
    }
    await this.waitUntil(s.departure_ms);
    const left = this.now();
    Station.settle(v, left);
    v.ended = true;
    clearTimeout(v.completion);
    this.vehicles.delete(s.evse);
    Object.assign(record, {
      departure_ms: left, delivered_kwh: v.wh / 1000, meter_start_wh: v.meterStartWh, meter_stop_wh: Math.round(v.meterStartWh + v.wh),
    });
    await this.client.call('TransactionEvent', {
      eventType: 'Ended', timestamp: this.iso(left), triggerReason: 'EVDeparted', seqNo: v.seqNo++,
      transactionInfo: { transactionId: tx, stoppedReason: 'EVDisconnected' }, meterValue: this.meterValue(v, 0),
    });
    played.push(record);
  }

  // One EVSE's sessions one after the other; the EVSEs at once.
  async run(sessions) {
    const byEvse = new Map();
    for (const s of sessions) byEvse.set(s.evse, [...(byEvse.get(s.evse) ?? []), s]);
    await Promise.all([...byEvse.values()].map(async (list) => {
      list.sort((a, b) => a.arrival_ms - b.arrival_ms);
      for (const s of list) await this.play(s);
    }));
  }
}

let finished = false;
function finish(code) {
  if (finished) return;
  finished = true;
  played.sort((a, b) => a.session - b.session);
  writeFileSync(out, JSON.stringify({ boots, sessions: played, profiles, readings, failures }, null, 1));
  if (failures.length) console.error(failures.join('\n'));
  process.exit(code || (failures.length ? 1 : 0));
}

// Strict mode compiles each message's schema when it is first used, which takes up to 90 ms: SPEED
// times that would start the first transaction half a minute late. Every schema this script uses is
// compiled first (validating nothing against it).
const v201 = standardValidators.find((v) => v.subprotocol === 'ocpp2.0.1');
for (const method of ['BootNotification', 'StatusNotification', 'Heartbeat', 'TransactionEvent', 'NotifyEVChargingNeeds',
  'SetChargingProfile', 'GetCompositeSchedule', 'ClearChargingProfile'])
  for (const kind of ['req', 'conf'])
    try {
      v201.validate(`urn:${method}.${kind}`, {});
    } catch {
      // {} is not a valid message: the schema is compiled all the same
    }

const stations = Object.entries(plan.charge_points).map(([id, evses]) => new Station(id, evses));
try {
  await Promise.all(stations.map((st) => st.boot()));
  await Promise.all(stations.map((st) => st.run(plan.sessions.filter((s) => s.charge_point === st.id))));
  // Connected to the end: a charge point that leaves shows its connectors out of service.
  await stations[0].waitUntil(plan.run_end_ms ?? 0);
  await Promise.all(stations.map((st) => st.client.close({ awaitPending: true })));
} catch (e) {
  failures.push(`play: ${e.stack ?? e}`);
}
finish(0);
