// An OCPP 1.6J charge point (ocpp-rpc RPCClient, strict mode) playing its scripted sessions: one
// flow per connector, all connectors at once, so transactions overlap on the wire.
import { RPCClient } from 'ocpp-rpc';
import { SAMPLE_MINUTES, interval_wh, iso } from './scenario.mjs';

export class ChargePoint16 {
  constructor(spec, url, csms, log, expected, failures) {
    Object.assign(this, { spec, csms, expected, failures });
    this.id = spec.id;
    this.register = { ...spec.register }; // Wh per connector, carried from session to session
    this.client = new RPCClient({ endpoint: url, identity: spec.id, protocols: ['ocpp1.6'], strictMode: true, reconnect: false });
    log.attach(this.client, spec.id);
    for (const event of ['strictValidationFailure', 'badMessage'])
      this.client.on(event, (e) => failures.push(`${spec.id}: ${event}: ${e.error ?? e}`));
    this.client.handle('RemoteStartTransaction', () => ({ status: 'Accepted' }));
    this.client.handle('RemoteStopTransaction', () => ({ status: 'Accepted' }));
    this.client.handle('ChangeConfiguration', () => ({ status: 'Accepted' }));
  }

  call(method, params) {
    return this.client.call(method, params);
  }

  async status(connector, minutes, status, errorCode = 'NoError') {
    await this.call('StatusNotification', { connectorId: connector, errorCode, status, timestamp: iso(minutes) });
    this.expected.statusChange(this.id, connector, minutes, status, errorCode);
  }

  async run() {
    await this.client.connect();
    await this.call('BootNotification', { chargePointVendor: 'evtwin', chargePointModel: 'Interop16' });
    await this.csms.call(this.id, 'ChangeConfiguration', { key: 'MeterValueSampleInterval', value: String(SAMPLE_MINUTES * 60) });
    if (this.id === 'CP16-A') {
      // No handler here: ocpp-rpc answers with a CALLERROR (NotImplemented).
      const error = await this.csms.call(this.id, 'GetLocalListVersion', {}).then(() => null, (e) => e);
      if (!error) this.failures.push(`${this.id}: GetLocalListVersion should have failed`);
    }
    await this.call('Heartbeat', {});
    const connectors = Object.keys(this.register).map(Number);
    await this.status(0, 0, 'Available');
    for (const c of connectors) await this.status(c, 0, 'Available');
    await this.mainMeter(0, connectors);
    await Promise.all(connectors.map((c) => this.playConnector(c)));
    await this.client.close({ awaitPending: true });
  }

  // The charge point's own meter (connector 0), outside any transaction.
  async mainMeter(minutes, connectors) {
    const total = connectors.reduce((sum, c) => sum + this.register[c], 0);
    const sv = { value: String(total), measurand: 'Energy.Active.Import.Register', unit: 'Wh', location: 'Inlet', context: 'Sample.Clock' };
    await this.call('MeterValues', { connectorId: 0, meterValue: [{ timestamp: iso(minutes), sampledValue: [sv] }] });
    this.expected.sampledValue(this.id, 0, '', minutes, sv);
  }

  async playConnector(c) {
    for (const f of this.spec.faults.filter((f) => f.connector === c)) {
      await this.status(c, f.at, 'Faulted', f.errorCode);
      await this.status(c, f.until, 'Available');
    }
    for (const s of this.spec.sessions.filter((s) => s.connector === c)) await this.session(s);
  }

  energySample(c, context) {
    const wh = this.register[c];
    const unit = this.spec.energy[c];
    if (unit === null) return { value: String(wh), context }; // the 1.6 defaults: the register, in Wh
    const value = unit === 'kWh' ? (wh / 1000).toFixed(3) : String(wh);
    return { value, context, measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit };
  }

  samples(c, kw) {
    const list = [this.energySample(c, 'Sample.Periodic')];
    const unit = this.spec.power[c];
    const value = unit === 'W' ? String(Math.round(kw * 1000)) : String(kw);
    list.push({ value, context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit });
    if (this.spec.phases)
      for (const phase of ['L1', 'L2', 'L3'])
        list.push({ value: ((kw * 1000) / 3 / 230).toFixed(1), measurand: 'Current.Import', phase, unit: 'A' });
    return list;
  }

  async meterValues(c, transactionId, minutes, sampledValue) {
    await this.call('MeterValues', { connectorId: c, transactionId, meterValue: [{ timestamp: iso(minutes), sampledValue }] });
    for (const sv of sampledValue) this.expected.sampledValue(this.id, c, String(transactionId), minutes, sv);
  }

  async session(s) {
    const c = s.connector;
    if (s.remoteStart) await this.csms.call(this.id, 'RemoteStartTransaction', { connectorId: c, idTag: s.idTag });
    await this.status(c, s.start, 'Preparing');
    if (!s.remoteStart) {
      const auth = await this.call('Authorize', { idTag: s.idTag });
      if (auth.idTagInfo.status !== 'Accepted') {
        if (!s.rejected) this.failures.push(`${this.id}: ${s.idTag} refused`);
        await this.status(c, s.start + 1, 'Available');
        return;
      }
    }
    const meterStart = this.register[c];
    const started = await this.call('StartTransaction', { connectorId: c, idTag: s.idTag, meterStart, timestamp: iso(s.start) });
    const tx = started.transactionId; // assigned by the central system
    await this.status(c, s.start, 'Charging');
    await this.meterValues(c, tx, s.start, [this.energySample(c, 'Transaction.Begin')]);
    // Periodic samples: the register at the end of each interval and the power during it.
    for (const [k, kw] of s.kw.entries()) {
      this.register[c] += interval_wh(kw);
      if (k + 1 < s.kw.length) await this.meterValues(c, tx, s.start + (k + 1) * SAMPLE_MINUTES, this.samples(c, kw));
    }
    const meterStop = this.register[c];
    const stop = s.start + s.kw.length * SAMPLE_MINUTES;
    if (s.remoteStop) await this.csms.call(this.id, 'RemoteStopTransaction', { transactionId: tx });
    await this.status(c, stop, 'Finishing');
    const reason = s.remoteStop ? 'Remote' : s.reason;
    const end = this.samples(c, s.kw.at(-1)).map((sv) => ({ ...sv, context: 'Transaction.End' }));
    const params = { transactionId: tx, idTag: s.idTag, meterStop, timestamp: iso(stop), transactionData: [{ timestamp: iso(stop), sampledValue: end }] };
    if (reason) params.reason = reason;
    await this.call('StopTransaction', params);
    for (const sv of end) this.expected.sampledValue(this.id, c, String(tx), stop, sv);
    this.expected.transaction(this.id, c, tx, s.idTag, s.start, stop, meterStart, meterStop, reason ?? 'Local');
    await this.status(c, stop + 1, 'Available');
  }
}
