// Charge points (ocpp-rpc RPCClient, strict mode) that play scripted sessions against evtwin's
// central system (`evtwin serve --strategy ... --clock fast:SPEED`): an OCPP 1.6 charge point with
// two connectors and an OCPP 2.0.1 station with two EVSEs. Each takes the central system's time
// from BootNotification and runs its clock SPEED times faster, meters its vehicles every virtual
// minute at min(vehicle power, the limit in force), and answers SetChargingProfile and
// GetCompositeSchedule as a charger would; CP-A refuses TxProfiles and CS-B's EVSEs take limits in watts only. Then loose clients send frames the schemas refuse and a meter register beyond range.
// Writes OUT (JSON): every profile received with its virtual time, the sessions as metered, each
// meter sample's power, the highest sums of limits and powers over the site and the feeder, the
// CALLERRORs received for the bad frames, the answer to a driver's intent, and failures.
// Usage: node live_fleet.mjs WS_URL SPEED OUT [PASSWORD_FOR_CP-A]
import { writeFileSync } from 'node:fs';
import { RPCClient } from 'ocpp-rpc';

const [url, speedText, out, password] = process.argv.slice(2);
if (!url || !speedText || !out) {
  console.error('usage: node live_fleet.mjs WS_URL SPEED OUT [PASSWORD]');
  process.exit(2);
}
const SPEED = Number(speedText);
const MINUTE_MS = 60_000 / SPEED; // one virtual minute in real milliseconds
setTimeout(() => {
  console.error('live_fleet.mjs: still running after 120 s, giving up');
  process.exit(1);
}, 120_000).unref();

const failures = [];
const profiles = [];
const refused = [];
const sessions = [];
const samples = []; // metered power: { cs, connector, t, kw }

// The whole site as the chargers see it, on the wall clock (the chargers' virtual clocks differ by
// their boot latency): after every change, what the connectors in a transaction may draw (the
// limit in force, else their vehicle's power, within their station's maximum) and what they draw,
// summed over the site and over CP-A (the feeder). The highest sums are reported.
const site = new Map(); // "cs/connector" -> { cs, active, vehicleKw, limitKw, powerKw }
const stationMax = new Map(); // cs -> kW
const peaks = { limit_site_kw: 0, limit_feeder_kw: 0, power_site_kw: 0, power_feeder_kw: 0, at: {} };
function checkSite(what) {
  const perStation = new Map();
  for (const c of site.values()) {
    if (!c.active) continue;
    const s = perStation.get(c.cs) ?? { limit: 0, power: 0 };
    s.limit += Math.min(c.vehicleKw, c.limitKw ?? c.vehicleKw);
    s.power += c.powerKw;
    perStation.set(c.cs, s);
  }
  let limitSite = 0, powerSite = 0, limitFeeder = 0, powerFeeder = 0;
  for (const [cs, s] of perStation) {
    const limit = Math.min(s.limit, stationMax.get(cs) ?? Infinity);
    limitSite += limit;
    powerSite += s.power;
    if (cs === 'CP-A') [limitFeeder, powerFeeder] = [limit, s.power];
  }
  for (const [key, value] of [['limit_site_kw', limitSite], ['limit_feeder_kw', limitFeeder], ['power_site_kw', powerSite], ['power_feeder_kw', powerFeeder]])
    if (value > peaks[key]) {
      peaks[key] = value;
      peaks.at[key] = what;
    }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Vehicles: [connector/EVSE, start minute, stop minute, vehicle kW].
const PLAN = {
  'CP-A': { protocol: 'ocpp1.6', vehicles: [[1, 2, 14, 11], [2, 3, 16, 11]] },
  'CS-B': { protocol: 'ocpp2.0.1', vehicles: [[1, 4, 15, 11], [2, 5, 17, 7.4]] },
};

class Charger {
  constructor(id, plan) {
    Object.assign(this, { id, plan, v16: plan.protocol === 'ocpp1.6' });
    this.limits = {}; // connector -> { kw, unit, limit, phases }
    this.stationMaxKw = Infinity;
    this.client = new RPCClient({
      endpoint: url, identity: id, protocols: [plan.protocol], strictMode: true, reconnect: false,
      ...(id === 'CP-A' && password ? { password } : {}),
    });
    for (const event of ['strictValidationFailure', 'badMessage'])
      this.client.on(event, (e) => failures.push(`${id}: ${event}: ${e.error ?? e}`));
    this.client.handle('SetChargingProfile', ({ params }) => this.setProfile(params));
    this.client.handle('GetCompositeSchedule', ({ params }) => this.composite(params));
    this.client.handle('ClearChargingProfile', () => ({ status: 'Accepted' }));
  }

  now() {
    return this.bootTime + (Date.now() - this.bootWall) * SPEED;
  }
  iso() {
    return new Date(this.now()).toISOString();
  }

  kwOf(limit, unit, phases) {
    return unit === 'W' ? limit / 1000 : (limit * 230 * (phases ?? 3)) / 1000;
  }

  setProfile(p) {
    const profile = this.v16 ? p.csChargingProfiles : p.chargingProfile;
    const schedule = this.v16 ? profile.chargingSchedule : profile.chargingSchedule[0];
    const period = schedule.chargingSchedulePeriod[0];
    const kw = this.kwOf(period.limit, schedule.chargingRateUnit, period.numberPhases);
    const connector = this.v16 ? p.connectorId : p.evseId;
    const purpose = profile.chargingProfilePurpose;
    // Chargers as some are: CP-A takes no TxProfile (only defaults), CS-B's EVSEs take watts only.
    if ((this.id === 'CP-A' && purpose === 'TxProfile') || (this.id === 'CS-B' && connector !== 0 && schedule.chargingRateUnit === 'A')) {
      refused.push({ cs: this.id, connector, purpose, unit: schedule.chargingRateUnit });
      return { status: 'Rejected' };
    }
    profiles.push({ cs: this.id, connector, purpose, kw, t: this.now(), transaction: String(profile.transactionId ?? '') });
    if (connector === 0) {
      this.stationMaxKw = kw;
      stationMax.set(this.id, kw);
    } else {
      this.limits[connector] = { kw, unit: schedule.chargingRateUnit, limit: period.limit, phases: period.numberPhases };
      const c = site.get(`${this.id}/${connector}`);
      if (c) c.limitKw = kw;
    }
    this.obey();
    checkSite(`${purpose} ${this.id}/${connector} ${kw.toFixed(2)} kW`);
    return { status: 'Accepted' };
  }

  composite(p) {
    const connector = this.v16 ? p.connectorId : p.evseId;
    const l = this.limits[connector];
    if (!l) return { status: 'Rejected' };
    const schedule = {
      startSchedule: this.iso(), duration: p.duration, chargingRateUnit: l.unit,
      chargingSchedulePeriod: [{ startPeriod: 0, limit: l.limit, numberPhases: l.phases ?? 3 }],
    };
    return this.v16
      ? { status: 'Accepted', connectorId: connector, scheduleStart: this.iso(), chargingSchedule: schedule }
      : { status: 'Accepted', schedule: { evseId: connector, duration: p.duration, scheduleStart: this.iso(), chargingRateUnit: l.unit, chargingSchedulePeriod: schedule.chargingSchedulePeriod } };
  }

  // A lowered limit or maximum takes effect at once (a raised one at the next meter reading).
  obey() {
    const mine = [...site.entries()].filter(([, c]) => c.cs === this.id && c.active);
    for (const [key, c] of mine) c.powerKw = Math.min(c.powerKw, this.limits[Number(key.split('/')[1])]?.kw ?? Infinity);
    const total = mine.reduce((sum, [, c]) => sum + c.powerKw, 0);
    if (total > this.stationMaxKw) for (const [, c] of mine) c.powerKw *= this.stationMaxKw / total;
  }

  // What a vehicle draws: its own power within its connector's limit and what the station's
  // maximum leaves beside its other connectors.
  power(connector, vehicleKw) {
    const l = this.limits[connector];
    let others = 0;
    for (const c of site.values()) if (c.cs === this.id && c.active && c !== site.get(`${this.id}/${connector}`)) others += c.powerKw;
    return Math.max(0, Math.min(vehicleKw, l ? l.kw : vehicleKw, this.stationMaxKw - others));
  }

  async run() {
    await this.client.connect();
    const boot = await this.client.call('BootNotification', this.v16
      ? { chargePointVendor: 'evtwin', chargePointModel: 'LiveFleet16' }
      : { reason: 'PowerUp', chargingStation: { model: 'LiveFleet201', vendorName: 'evtwin' } });
    this.bootTime = Date.parse(boot.currentTime);
    this.bootWall = Date.now();
    for (const [c] of this.plan.vehicles)
      await this.client.call('StatusNotification', this.v16
        ? { connectorId: c, errorCode: 'NoError', status: 'Available' }
        : { timestamp: this.iso(), connectorStatus: 'Available', evseId: c, connectorId: 1 });
    await Promise.all(this.plan.vehicles.map((v) => this.vehicle(...v)));
    await this.client.close({ awaitPending: true });
  }

  async waitUntil(minute) {
    const due = this.bootTime + minute * 60_000;
    while (this.now() < due) await sleep(Math.min(50, (due - this.now()) / SPEED + 1));
  }

  meter16(c, tx, wh, kw) {
    return this.client.call('MeterValues', {
      connectorId: c, transactionId: tx,
      meterValue: [{ timestamp: this.iso(), sampledValue: [
        { value: String(Math.round(wh)), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
        { value: String(Math.round(kw * 1000)), measurand: 'Power.Active.Import', unit: 'W' },
      ] }],
    });
  }

  meterValue201(wh, kw) {
    return [{ timestamp: this.iso(), sampledValue: [
      { value: Math.round(wh), measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
      { value: Math.round(kw * 1000), measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
    ] }];
  }

  async vehicle(c, start, stop, vehicleKw) {
    let wh = 1_000_000 * c; // the register when the vehicle plugs in
    const meterStart = wh;
    await this.waitUntil(start);
    let tx;
    let seqNo = 0;
    if (this.v16) {
      const r = await this.client.call('StartTransaction', { connectorId: c, idTag: `TAG-${c}`, meterStart: wh, timestamp: this.iso() });
      tx = r.transactionId;
    } else {
      tx = `${this.id}-${c}-${start}`;
      await this.client.call('TransactionEvent', {
        eventType: 'Started', timestamp: this.iso(), triggerReason: 'CablePluggedIn', seqNo: seqNo++,
        transactionInfo: { transactionId: tx, chargingState: 'EVConnected' }, evse: { id: c, connectorId: 1 },
        meterValue: this.meterValue201(wh, 0),
      });
      await this.client.call('NotifyEVChargingNeeds', {
        evseId: c,
        chargingNeeds: {
          requestedEnergyTransfer: 'AC_three_phase', departureTime: new Date(this.bootTime + (stop + 30) * 60_000).toISOString(),
          acChargingParameters: { energyAmount: 8000, evMinCurrent: 6, evMaxCurrent: 16, evMaxVoltage: 400 },
        },
      });
    }
    const key = `${this.id}/${c}`;
    delete this.limits[c]; // a TxProfile ends with its transaction
    site.set(key, { cs: this.id, active: true, vehicleKw, limitKw: undefined, powerKw: 0 });
    checkSite(`start ${key}`);
    let last = this.now();
    for (let minute = start + 1; minute <= stop; ++minute) {
      await this.waitUntil(minute);
      const kw = this.power(c, vehicleKw);
      const now = this.now();
      samples.push({ cs: this.id, connector: c, t: now, kw });
      site.get(key).powerKw = kw;
      checkSite(`meter ${key} ${kw.toFixed(2)} kW`);
      wh += (kw * 1000 * (now - last)) / 3_600_000;
      last = now;
      if (this.v16) await this.meter16(c, tx, wh, kw);
      else
        await this.client.call('TransactionEvent', {
          eventType: 'Updated', timestamp: this.iso(), triggerReason: 'MeterValuePeriodic', seqNo: seqNo++,
          transactionInfo: { transactionId: tx, chargingState: kw > 0 ? 'Charging' : 'SuspendedEVSE' },
          meterValue: this.meterValue201(wh, kw),
        });
    }
    const meterStop = Math.round(wh);
    site.get(key).active = false;
    if (this.v16) await this.client.call('StopTransaction', { transactionId: tx, meterStop, timestamp: this.iso(), reason: 'EVDisconnected' });
    else
      await this.client.call('TransactionEvent', {
        eventType: 'Ended', timestamp: this.iso(), triggerReason: 'EVCommunicationLost', seqNo: seqNo++,
        transactionInfo: { transactionId: tx, stoppedReason: 'EVDisconnected' }, meterValue: this.meterValue201(meterStop, 0),
      });
    sessions.push({ cs: this.id, connector: c, transaction: String(tx), meter_start_wh: Math.round(meterStart), meter_stop_wh: meterStop });
  }
}

// Frames the schemas refuse, and a meter register beyond range, sent by clients that do not check
// what they send.
async function badFrames() {
  const errors = {};
  const loose = new RPCClient({ endpoint: url, identity: 'CS-B', protocols: ['ocpp2.0.1'], strictMode: false, reconnect: false });
  const loose16 = new RPCClient({
    endpoint: url, identity: 'CP-A', protocols: ['ocpp1.6'], strictMode: false, reconnect: false, ...(password ? { password } : {}),
  });
  await loose.connect();
  await loose16.connect();
  const attempt = async (client, name, method, params) => {
    try {
      await client.call(method, params);
      failures.push(`${name}: answered without an error`);
    } catch (e) {
      errors[name] = e.rpcErrorCode ?? e.code ?? String(e);
    }
  };
  await attempt(loose, 'missing_field', 'BootNotification', { reason: 'PowerUp' });
  await attempt(loose, 'wrong_type', 'StatusNotification', { timestamp: 5, connectorStatus: 'Available', evseId: 1, connectorId: 1 });
  await attempt(loose, 'bad_enum', 'StatusNotification', { timestamp: new Date().toISOString(), connectorStatus: 'Sleeping', evseId: 1, connectorId: 1 });
  await attempt(loose, 'unknown_action', 'MakeCoffee', {});
  await attempt(loose16, 'huge_meter_start', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 1e19, timestamp: new Date().toISOString() });
  await loose.close();
  await loose16.close();
  return errors;
}

// With the API's token (environment LIVE_API_TOKEN): a driver's intent for the first open session,
// through POST /v1/sessions/{id}/intent, then read back from GET /v1/live.
async function intentCheck() {
  const token = process.env.LIVE_API_TOKEN;
  if (!token) return null;
  const api = url.replace(/^ws/, 'http').replace(/\/ocpp$/, '');
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const live = async () => (await fetch(`${api}/v1/live`, { headers })).json();
  for (let i = 0; i < 600; ++i) {
    const open = (await live()).sessions[0];
    if (open) {
      const r = await fetch(`${api}/v1/sessions/${open.id}/intent`, { method: 'POST', headers, body: JSON.stringify({ energy_kwh: 12.5 }) });
      const answer = await r.json();
      const after = (await live()).sessions.find((s) => s.id === open.id);
      return { status: r.status, answer, requested_kwh: after ? after.requested_kwh : null };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  failures.push('intent: no session was ever open');
  return null;
}

const chargers = Object.entries(PLAN).map(([id, plan]) => new Charger(id, plan));
let intent = null;
try {
  [intent] = await Promise.all([intentCheck(), ...chargers.map((c) => c.run())]);
} catch (e) {
  failures.push(`fleet: ${e.stack ?? e}`);
}
let callErrors = {};
try {
  callErrors = await badFrames();
} catch (e) {
  failures.push(`bad frames: ${e.stack ?? e}`);
}
writeFileSync(out, JSON.stringify({ profiles, refused, sessions, samples, peaks, callErrors, intent, failures }, null, 1));
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
