// An OCPP 2.0.1 charging station (ocpp-rpc RPCClient, strict mode) playing its scripted sessions as
// TransactionEvent Started / Updated / Ended, one flow per EVSE, all EVSEs at once. Transaction ids
// are the station's own.
import { RPCClient } from 'ocpp-rpc';
import { SAMPLE_MINUTES, interval_wh, iso } from './scenario.mjs';

const ENERGY = 'Energy.Active.Import.Register';

export class ChargingStation201 {
  constructor(spec, url, csms, log, expected, failures) {
    Object.assign(this, { spec, csms, expected, failures });
    this.id = spec.id;
    this.register = { ...spec.register }; // Wh per EVSE, carried from session to session
    this.transactions = 0;
    this.client = new RPCClient({ endpoint: url, identity: spec.id, protocols: ['ocpp2.0.1'], strictMode: true, reconnect: false });
    log.attach(this.client, spec.id);
    for (const event of ['strictValidationFailure', 'badMessage'])
      this.client.on(event, (e) => failures.push(`${spec.id}: ${event}: ${e.error ?? e}`));
    this.client.handle('RequestStartTransaction', () => ({ status: 'Accepted' }));
    this.client.handle('RequestStopTransaction', () => ({ status: 'Accepted' }));
    this.client.handle('SetVariables', ({ params }) => ({
      setVariableResult: params.setVariableData.map((d) => ({ attributeStatus: 'Accepted', component: d.component, variable: d.variable })),
    }));
  }

  call(method, params) {
    return this.client.call(method, params);
  }

  async status(evse, minutes, status) {
    await this.call('StatusNotification', { timestamp: iso(minutes), connectorStatus: status, evseId: evse, connectorId: 1 });
    this.expected.statusChange(this.id, evse, minutes, status);
  }

  async run() {
    await this.client.connect();
    await this.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'Interop201', vendorName: 'evtwin' } });
    await this.csms.call(this.id, 'SetVariables', {
      setVariableData: [{ attributeValue: String(SAMPLE_MINUTES * 60), component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' } }],
    });
    if (this.id === 'CS201-A') {
      // No handler here: ocpp-rpc answers with a CALLERROR (NotImplemented).
      const error = await this.csms.call(this.id, 'GetLocalListVersion', {}).then(() => null, (e) => e);
      if (!error) this.failures.push(`${this.id}: GetLocalListVersion should have failed`);
    }
    await this.call('Heartbeat', {});
    const evses = Object.keys(this.register).map(Number);
    for (const e of evses) await this.status(e, 0, 'Available');
    await this.mainMeter(0, evses);
    await Promise.all(evses.map((e) => this.playEvse(e)));
    await this.client.close({ awaitPending: true });
  }

  // The station's own meter (evse 0), outside any transaction.
  async mainMeter(minutes, evses) {
    const total = evses.reduce((sum, e) => sum + this.register[e], 0);
    const sv = { value: total / 1000, measurand: ENERGY, location: 'Inlet', context: 'Sample.Clock', unitOfMeasure: { unit: 'kWh', multiplier: 0 } };
    await this.call('MeterValues', { evseId: 0, meterValue: [{ timestamp: iso(minutes), sampledValue: [sv] }] });
    this.expected.sampledValue(this.id, 0, '', minutes, sv);
  }

  async playEvse(e) {
    for (const s of this.spec.sessions.filter((s) => s.evse === e)) await this.session(s);
  }

  soc(e, startWh) {
    const { capacityKwh, start } = this.spec.soc;
    return Math.min(100, Math.round(start + ((this.register[e] - startWh) / 1000 / capacityKwh) * 100));
  }

  // The register expressed in `unit` × 10^multiplier, as a meter with that unitOfMeasure would send it.
  energy(e, context, unitOfMeasure) {
    const m = (unitOfMeasure.multiplier ?? 0) + (unitOfMeasure.unit === 'kWh' ? 3 : 0);
    const value = m >= 0 ? this.register[e] / 10 ** m : this.register[e] * 10 ** -m; // Wh are integers
    return { value, measurand: ENERGY, context, location: 'Outlet', unitOfMeasure };
  }

  power(e, kw, context) {
    const { unit, multiplier } = this.spec.power[e];
    const value = unit === 'kW' || multiplier === 3 ? kw : Math.round(kw * 1000);
    return { value, measurand: 'Power.Active.Import', context, unitOfMeasure: { unit, multiplier } };
  }

  samples(e, kw, startWh) {
    const list = [this.energy(e, 'Sample.Periodic', this.spec.updated[e]), this.power(e, kw, 'Sample.Periodic')];
    if (this.spec.soc) list.push({ value: this.soc(e, startWh), measurand: 'SoC', location: 'EV', unitOfMeasure: { unit: 'Percent' } });
    return list;
  }

  async event(e, transactionId, minutes, params, sampledValue) {
    await this.call('TransactionEvent', { ...params, timestamp: iso(minutes), meterValue: [{ timestamp: iso(minutes), sampledValue }] });
    for (const sv of sampledValue) this.expected.sampledValue(this.id, e, transactionId, minutes, sv);
  }

  async session(s) {
    const e = s.evse;
    const idToken = { idToken: s.idToken, type: 'eMAID' };
    const remoteStartId = 100 + this.transactions;
    if (s.remoteStart) await this.csms.call(this.id, 'RequestStartTransaction', { idToken, remoteStartId, evseId: e });
    await this.status(e, s.start, 'Occupied');
    if (!s.remoteStart) {
      const auth = await this.call('Authorize', { idToken });
      if (auth.idTokenInfo.status !== 'Accepted') {
        if (!s.rejected) this.failures.push(`${this.id}: ${s.idToken} refused`);
        await this.status(e, s.start + 1, 'Available');
        return;
      }
    }
    const transactionId = `${this.id}-E${e}-${String(++this.transactions).padStart(4, '0')}`;
    const meterStart = this.register[e];
    let seqNo = 0;
    const info = { transactionId, chargingState: 'Charging' };
    await this.event(e, transactionId, s.start, {
      eventType: 'Started',
      triggerReason: s.remoteStart ? 'RemoteStart' : 'Authorized',
      seqNo: seqNo++,
      transactionInfo: s.remoteStart ? { ...info, remoteStartId } : info,
      evse: { id: e, connectorId: 1 },
      idToken,
    }, [this.energy(e, 'Transaction.Begin', { unit: 'kWh', multiplier: 0 })]);
    for (const [k, kw] of s.kw.entries()) {
      this.register[e] += interval_wh(kw);
      if (k + 1 < s.kw.length)
        await this.event(e, transactionId, s.start + (k + 1) * SAMPLE_MINUTES,
          { eventType: 'Updated', triggerReason: 'MeterValuePeriodic', seqNo: seqNo++, transactionInfo: info },
          this.samples(e, kw, meterStart));
    }
    const meterStop = this.register[e];
    const stop = s.start + s.kw.length * SAMPLE_MINUTES;
    if (s.remoteStop) await this.csms.call(this.id, 'RequestStopTransaction', { transactionId });
    const reason = s.remoteStop ? 'Remote' : s.reason;
    const ended = { transactionId, chargingState: 'Idle' };
    if (reason && reason !== 'Local') ended.stoppedReason = reason; // Local is the default
    await this.event(e, transactionId, stop, {
      eventType: 'Ended',
      triggerReason: s.remoteStop ? 'RemoteStop' : reason === 'EVDisconnected' ? 'EVCommunicationLost' : 'StopAuthorized',
      seqNo: seqNo++,
      transactionInfo: ended,
    }, [this.energy(e, 'Transaction.End', { unit: 'Wh' }), this.power(e, s.kw.at(-1), 'Transaction.End')]);
    this.expected.transaction(this.id, e, transactionId, s.idToken, s.start, stop, meterStart, meterStop, reason ?? 'Local');
    await this.status(e, stop + 1, 'Available');
  }
}
