// Two OCPP 2.1 charging stations (ocpp-rpc RPCClient, strict mode with validators built from the
// official 2.1 schemas) each plug a bidirectional vehicle into `evtwin serve`: the vehicle declares
// ISO 15118-20 needs (AC_BPT, a 7 kW discharge rating), its EVSE follows every profile it is sent
// (a CentralSetpoint's setpoint, negative to discharge, or a charging limit) and meters import and
// export registers. Writes what the stations received and metered as JSON.
//
// node live_v2x.mjs ws://HOST:PORT/ocpp SCHEMA_DIR SECONDS OUT.json
import { RPCClient, createValidator } from 'ocpp-rpc';
import fs from 'node:fs';
import path from 'node:path';

const [url, schemaDir, seconds, out] = process.argv.slice(2);
const SPEED = 60; // the server's clock: fast:60
const STEP_MS = 250; // a meter reading every 15 virtual seconds

// The official schemas under the ids ocpp-rpc asks for: urn:Action.req / urn:Action.conf.
function officialValidator() {
  const schemas = fs.readdirSync(schemaDir).filter((f) => /(Request|Response)\.json$/.test(f)).map((f) => {
    const schema = JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8'));
    schema.$id = `urn:${f.replace(/(Request|Response)\.json$/, '')}.${f.endsWith('Request.json') ? 'req' : 'conf'}`;
    delete schema.$schema; // draft-06, which Ajv 8 reads as draft-07
    // An enum's `additionalProperties: false` says nothing of a string; Ajv's strict types would log it.
    for (const definition of Object.values(schema.definitions ?? {}))
      if (definition.type === 'string') delete definition.additionalProperties;
    return schema;
  });
  return createValidator('ocpp2.1', schemas);
}

const validator = officialValidator();
const failures = [];
const stations = [];
const peaks = { import_w: 0, export_w: 0 };

function sitePower() {
  let sum = 0;
  for (const s of stations) sum += s.powerW;
  peaks.import_w = Math.max(peaks.import_w, sum);
  peaks.export_w = Math.max(peaks.export_w, -sum);
}

class Station {
  constructor(id) {
    this.id = id;
    this.importWh = 1000;
    this.exportWh = 500;
    this.powerW = 0;
    this.profiles = [];
    this.client = new RPCClient({
      endpoint: url, identity: id, protocols: ['ocpp2.1'], strictMode: true, strictModeValidators: [validator], reconnect: false,
    });
    for (const event of ['strictValidationFailure', 'badMessage'])
      this.client.on(event, (e) => failures.push(`${id}: ${event}: ${e.error ?? e}`));
    this.client.handle('SetChargingProfile', ({ params }) => this.profile(params));
    this.client.handle('GetCompositeSchedule', ({ params }) => ({
      status: 'Accepted',
      schedule: {
        evseId: params.evseId, duration: params.duration, scheduleStart: this.now(), chargingRateUnit: 'W',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: Math.max(0, this.powerW) }],
      },
    }));
  }

  now() {
    return new Date(this.base + (Date.now() - this.started) * SPEED).toISOString();
  }

  profile(params) {
    const profile = params.chargingProfile;
    const period = profile.chargingSchedule[0].chargingSchedulePeriod[0];
    this.profiles.push({ purpose: profile.chargingProfilePurpose, evse: params.evseId, ...period });
    if (params.evseId === 1 && profile.chargingProfilePurpose === 'TxProfile' && !this.ended) {
      this.powerW = period.setpoint !== undefined ? period.setpoint : Math.min(period.limit, 11000);
      sitePower();
    }
    return { status: 'Accepted' };
  }

  meter(context) {
    const sampled = [
      { value: this.importWh, measurand: 'Energy.Active.Import.Register', context, unitOfMeasure: { unit: 'Wh' } },
      { value: this.exportWh, measurand: 'Energy.Active.Export.Register', context, unitOfMeasure: { unit: 'Wh' } },
    ];
    if (context === 'Sample.Periodic') {
      sampled.push({ value: Math.max(0, this.powerW), measurand: 'Power.Active.Import', context, unitOfMeasure: { unit: 'W' } });
      sampled.push({ value: Math.max(0, -this.powerW), measurand: 'Power.Active.Export', context, unitOfMeasure: { unit: 'W' } });
    }
    return [{ timestamp: this.now(), sampledValue: sampled }];
  }

  event(eventType, seqNo, triggerReason, context) {
    const event = {
      eventType, timestamp: this.now(), triggerReason, seqNo,
      transactionInfo: { transactionId: `${this.id}-TX`, chargingState: 'Charging' },
      evse: { id: 1, connectorId: 1 }, meterValue: this.meter(context),
    };
    if (eventType === 'Started') event.idToken = { idToken: `${this.id}-EV`, type: 'ISO14443' };
    return this.client.call('TransactionEvent', event);
  }

  async run() {
    await this.client.connect();
    const boot = await this.client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'V2X', vendorName: 'evtwin' } });
    this.base = Date.parse(boot.currentTime);
    this.started = Date.now();
    this.start = { importWh: this.importWh, exportWh: this.exportWh };
    await this.client.call('NotifyEVChargingNeeds', {
      evseId: 1, timestamp: this.now(),
      chargingNeeds: {
        requestedEnergyTransfer: 'AC_BPT', availableEnergyTransfer: ['AC_three_phase', 'AC_BPT'], controlMode: 'ScheduledControl',
        departureTime: new Date(this.base + 5 * 3600e3).toISOString(),
        v2xChargingParameters: { evTargetEnergyRequest: 15000, maxChargePower: 11000, maxDischargePower: 7000, targetSoC: 80 },
      },
    });
    await this.event('Started', 0, 'CablePluggedIn', 'Transaction.Begin');
    const end = Date.now() + Number(seconds) * 1000;
    let seqNo = 1;
    while (Date.now() < end) {
      await new Promise((resolve) => setTimeout(resolve, STEP_MS));
      const hours = (STEP_MS * SPEED) / 3600e3;
      if (this.powerW > 0) this.importWh += this.powerW * hours;
      else this.exportWh += -this.powerW * hours;
      await this.client.call('MeterValues', { evseId: 1, meterValue: this.meter('Sample.Periodic') });
      ++seqNo;
    }
    await this.event('Ended', seqNo, 'EVDeparted', 'Transaction.End');
    this.powerW = 0; // unplugged: whatever it is told now, it draws and gives nothing
    this.ended = true;
    await this.client.close({ awaitPending: true });
  }
}

for (const id of ['CP-A', 'CP-B']) stations.push(new Station(id));
try {
  await Promise.all(stations.map((s) => s.run()));
} catch (e) {
  failures.push(String(e?.stack ?? e));
}
fs.writeFileSync(out, JSON.stringify({
  failures, peaks,
  stations: stations.map((s) => ({
    id: s.id, profiles: s.profiles, import_wh: s.importWh - s.start.importWh, export_wh: s.exportWh - s.start.exportWh,
  })),
}, null, 1));
