// Plays a simulated run's sessions against evtwin's central system (`evtwin serve --strategy ...
// --clock step`), as OCPP 2.0.1 charging stations (ocpp-rpc RPCClient, strict mode): the live half
// of tests/interop/twin_equality_test.cpp.
//
// The central system's clock is stepped: this script moves it (POST /v1/clock) from instant to
// instant of the simulated run, as the simulator's event loop does: every control-period boundary,
// arrival and departure of the plan, and every instant a vehicle's request is met. At each instant
// the stations first say what happened at it: a departure ends its transaction (TransactionEvent
// Ended), every vehicle still plugged in is metered (TransactionEvent Updated: the energy register,
// power and SoC, unrounded), an arrival declares its departure and energy (NotifyEVChargingNeeds)
// and starts its transaction (TransactionEvent Started, the vehicle's id as its idToken). Then the
// central system settles the instant: its strategy decides once on all of it and its limits come
// as SetChargingProfile; a vehicle whose power they change reports it (triggerReason
// ChargingRateChanged) before the clock moves on.
//
// The vehicles' physics mirror the simulator's for a site whose chargers have efficiency 1 and whose
// vehicles take a constant power with no taper: a vehicle draws min(its own power, the limit in
// force for its transaction) until its requested energy is delivered, then nothing, and nothing
// before its first limit. The energy is integrated exactly between instants. The station's maximum
// (the sum of its EVSEs' limits) is recorded, not applied.
//
// Usage: node play_run.mjs SERVER_URL TOKEN_FILE PLAN.json OUT.json (TOKEN_FILE: the API's bearer token)
// PLAN: { run_start_ms, run_end_ms, period_ms, charge_points: { ID: EVSE count },
//         sessions: [{ session, charge_point, evse, id_tag, arrival_ms, departure_ms,
//                      declared_departure_ms, requested_kwh, initial_soc, capacity_kwh, vehicle_kw }] }
// OUT: { boots (each station's boot answer), sessions (as metered), profiles (each with its
// instant), instants (how many the clock stopped at), failures }.
import { readFileSync, writeFileSync } from 'node:fs';
import { RPCClient } from 'ocpp-rpc';

const [server, tokenFile, planFile, out] = process.argv.slice(2);
if (!server || !tokenFile || !planFile || !out) {
  console.error('usage: node play_run.mjs SERVER_URL TOKEN_FILE PLAN.json OUT.json');
  process.exit(2);
}
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const token = readFileSync(tokenFile, 'utf8').trim();

const failures = [];
const profiles = [];
const played = [];
const boots = {};
let now = plan.run_start_ms; // the instant the central system's clock shows

// Moves the central system's clock to `to`, once it has settled the present instant.
async function stepClock(to) {
  const answer = await fetch(`${server}/v1/clock`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ to: new Date(to).toISOString() }),
  });
  if (answer.status !== 200) throw new Error(`POST /v1/clock ${to}: ${answer.status} ${await answer.text()}`);
  now = to;
}

class Station {
  constructor(id, evses) {
    Object.assign(this, { id, evses });
    this.vehicles = new Map(); // EVSE -> the vehicle plugged in
    this.schedules = new Map(); // EVSE -> the last schedule accepted, for GetCompositeSchedule
    this.client = new RPCClient({ endpoint: `${server.replace(/^http/, 'ws')}/ocpp`, identity: id, protocols: ['ocpp2.0.1'], strictMode: true, reconnect: false });
    for (const event of ['strictValidationFailure', 'badMessage'])
      this.client.on(event, (e) => failures.push(`${id}: ${event}: ${e.error ?? e}`));
    this.client.handle('SetChargingProfile', ({ params }) => this.setProfile(params));
    this.client.handle('GetCompositeSchedule', ({ params }) => this.composite(params));
    this.client.handle('ClearChargingProfile', () => ({ status: 'Accepted' }));
  }

  // A vehicle's energy brought to `now` at the power it draws, and its power from then on. It stops
  // within a micro-watt-hour of its request: summing a period's energy may leave the last bit short.
  static settle(v) {
    const wh = v.wh + (v.kw * 1000 * (now - v.since)) / 3_600_000;
    v.wh = wh >= v.requestedWh - 1e-6 ? v.requestedWh : wh;
    v.since = now;
    v.kw = v.wh >= v.requestedWh || v.limitKw === undefined ? 0 : Math.min(v.vehicleKw, v.limitKw);
  }

  // When the vehicle's request is met at its present power; Infinity when it draws nothing.
  static completion(v) {
    return v.kw > 0 ? v.since + Math.ceil(((v.requestedWh - v.wh) * 3_600_000) / (v.kw * 1000)) : Infinity;
  }

  kwOf(limit, unit, phases) {
    return unit === 'W' ? limit / 1000 : (limit * 230 * (phases ?? 3)) / 1000;
  }

  setProfile(p) {
    const profile = p.chargingProfile;
    const schedule = profile.chargingSchedule[0];
    const period = schedule.chargingSchedulePeriod[0];
    const kw = this.kwOf(period.limit, schedule.chargingRateUnit, period.numberPhases);
    profiles.push({ cs: this.id, evse: p.evseId, purpose: profile.chargingProfilePurpose, kw, t_ms: now, transaction: profile.transactionId ?? null });
    this.schedules.set(p.evseId, { unit: schedule.chargingRateUnit, limit: period.limit, phases: period.numberPhases });
    const v = this.vehicles.get(p.evseId);
    if (!v || (profile.transactionId !== undefined && profile.transactionId !== v.transaction)) return { status: 'Accepted' };
    Station.settle(v);
    const drawn = v.kw;
    v.limitKw = kw;
    Station.settle(v);
    if (v.kw !== drawn) v.changed = true;
    return { status: 'Accepted' };
  }

  composite(p) {
    const s = this.schedules.get(p.evseId);
    if (!s) return { status: 'Rejected' };
    return {
      status: 'Accepted',
      schedule: {
        evseId: p.evseId, duration: p.duration, scheduleStart: new Date(now).toISOString(), chargingRateUnit: s.unit,
        chargingSchedulePeriod: [{ startPeriod: 0, limit: s.limit, ...(s.phases ? { numberPhases: s.phases } : {}) }],
      },
    };
  }

  meterValue(v) {
    const soc = 100 * (v.initialSoc + v.wh / 1000 / v.capacityKwh);
    return [{ timestamp: new Date(now).toISOString(), sampledValue: [
      { value: v.meterStartWh + v.wh, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
      { value: v.kw * 1000, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
      { value: soc, measurand: 'SoC', unitOfMeasure: { unit: 'Percent' } },
    ] }];
  }

  report(v, triggerReason) {
    Station.settle(v);
    return this.client.call('TransactionEvent', {
      eventType: 'Updated', timestamp: new Date(now).toISOString(), triggerReason, seqNo: v.seqNo++,
      transactionInfo: { transactionId: v.transaction, chargingState: v.kw > 0 ? 'Charging' : 'SuspendedEV' },
      meterValue: this.meterValue(v),
    });
  }

  async boot() {
    await this.client.connect();
    const boot = await this.client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'PlayRun201', vendorName: 'evtwin' } });
    boots[this.id] = { current_time: boot.currentTime, status: boot.status, ready_ms: Date.parse(boot.currentTime) };
    for (let evse = 1; evse <= this.evses; ++evse)
      await this.client.call('StatusNotification', { timestamp: new Date(now).toISOString(), connectorStatus: 'Available', evseId: evse, connectorId: 1 });
  }

  async depart(s) {
    const v = this.vehicles.get(s.evse);
    Station.settle(v);
    this.vehicles.delete(s.evse);
    played.push({ session: s.session, cs: this.id, evse: s.evse, transaction: v.transaction, arrival_ms: s.arrival_ms, departure_ms: now, delivered_kwh: v.wh / 1000 });
    await this.client.call('TransactionEvent', {
      eventType: 'Ended', timestamp: new Date(now).toISOString(), triggerReason: 'EVDeparted', seqNo: v.seqNo++,
      transactionInfo: { transactionId: v.transaction, stoppedReason: 'EVDisconnected' }, meterValue: this.meterValue(v),
    });
  }

  // The vehicle declares its needs as ISO 15118 has it do before the power path closes, then the
  // transaction starts: the central system decides once, knowing them.
  async arrive(s) {
    const v = {
      session: s.session, seqNo: 0, transaction: `${this.id}-${s.evse}-${s.session}`, limitKw: undefined, wh: 0, kw: 0, since: now, changed: false,
      vehicleKw: s.vehicle_kw, requestedWh: s.requested_kwh * 1000, initialSoc: s.initial_soc, capacityKwh: s.capacity_kwh, meterStartWh: 1_000_000 * s.evse,
    };
    this.vehicles.set(s.evse, v);
    await this.client.call('NotifyEVChargingNeeds', {
      evseId: s.evse,
      chargingNeeds: {
        requestedEnergyTransfer: 'AC_three_phase', departureTime: new Date(s.declared_departure_ms).toISOString(),
        acChargingParameters: { energyAmount: Math.round(s.requested_kwh * 1000), evMinCurrent: 0, evMaxCurrent: 16, evMaxVoltage: 400 },
      },
    });
    await this.client.call('TransactionEvent', {
      eventType: 'Started', timestamp: new Date(now).toISOString(), triggerReason: 'CablePluggedIn', seqNo: v.seqNo++,
      transactionInfo: { transactionId: v.transaction, chargingState: 'EVConnected' }, evse: { id: s.evse, connectorId: 1 },
      idToken: { idToken: s.id_tag, type: 'Central' }, meterValue: this.meterValue(v),
    });
  }
}

const stations = new Map(Object.entries(plan.charge_points).map(([id, evses]) => [id, new Station(id, evses)]));
const vehicles = () => [...stations.values()].flatMap((st) => [...st.vehicles.values()].map((v) => [st, v]));

// The instants the plan names; those at which a request is met are found on the way.
const planned = (() => {
  const times = new Set();
  for (let t = plan.run_start_ms; t < plan.run_end_ms; t += plan.period_ms) times.add(t);
  for (const s of plan.sessions) for (const t of [s.arrival_ms, s.departure_ms]) if (t < plan.run_end_ms) times.add(t);
  return [...times].sort((a, b) => a - b);
})();

let instants = 0;
try {
  for (const st of stations.values()) await st.boot();
  let next = 0;
  while (now < plan.run_end_ms) {
    const at = (id) => plan.sessions.filter((s) => s.charge_point === id);
    for (const [id, st] of stations) {
      for (const s of at(id).filter((s) => s.departure_ms === now)) await st.depart(s);
      for (const v of st.vehicles.values()) await st.report(v, 'MeterValuePeriodic');
      for (const s of at(id).filter((s) => s.arrival_ms === now)) await st.arrive(s);
    }
    await stepClock(now); // the instant settled: the strategy has decided and its limits are here
    for (const [st, v] of vehicles())
      if (v.changed) {
        v.changed = false;
        await st.report(v, 'ChargingRateChanged');
      }
    ++instants;
    while (next < planned.length && planned[next] <= now) ++next;
    const completion = Math.min(...vehicles().map(([, v]) => Station.completion(v)));
    await stepClock(Math.min(planned[next] ?? plan.run_end_ms, completion, plan.run_end_ms));
  }
  // Connected to the end: a charge point that leaves shows its connectors out of service.
  await Promise.all([...stations.values()].map((st) => st.client.close({ awaitPending: true })));
} catch (e) {
  failures.push(`play: ${e.stack ?? e}`);
}
played.sort((a, b) => a.session - b.session);
writeFileSync(out, JSON.stringify({ boots, sessions: played, profiles, instants, failures }, null, 1));
if (failures.length) console.error(failures.join('\n'));
process.exit(failures.length ? 1 : 0);
