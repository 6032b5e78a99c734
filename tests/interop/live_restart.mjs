// An OCPP 1.6 charge point written frame by frame (the ws package under ocpp-rpc), for the crash
// test of evtwin's central system. Phase `before`: boot, start a transaction on connector 1 (message
// id "start-1") and send two meter values. Phase `after` (the central system was killed and started
// again): boot again, send the same StartTransaction with the same message id (a resend after a
// reconnect: it must get the same answer and start nothing new), two more meter values, then stop.
// Writes OUT (JSON): the replies by message id and the meter readings sent.
// Usage: node live_restart.mjs WS_URL before|after OUT [STATE]   (STATE: the first phase's OUT)
import { readFileSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';

const [url, phase, out, state] = process.argv.slice(2);
if (!url || !['before', 'after'].includes(phase) || !out) {
  console.error('usage: node live_restart.mjs WS_URL before|after OUT [STATE]');
  process.exit(2);
}
setTimeout(() => {
  console.error('live_restart.mjs: still running after 30 s, giving up');
  process.exit(1);
}, 30_000).unref();

const ws = new WebSocket(`${url}/CP-A`, ['ocpp1.6']);
const replies = {};
const waiting = new Map();
ws.on('message', (data) => {
  const frame = JSON.parse(String(data));
  if (frame[0] === 2) {  // a CALL of the central system: accept whatever it asks
    ws.send(JSON.stringify([3, frame[1], frame[2] === 'GetCompositeSchedule' ? { status: 'Rejected' } : { status: 'Accepted' }]));
    return;
  }
  replies[frame[1]] = String(data);
  waiting.get(frame[1])?.(frame);
});
const call = (id, action, payload) =>
  new Promise((resolve) => {
    waiting.set(id, resolve);
    ws.send(JSON.stringify([2, id, action, payload]));
  });
await new Promise((resolve, reject) => {
  ws.on('open', resolve);
  ws.on('error', reject);
});

const now = () => new Date().toISOString();
const meter = (id, tx, wh) =>
  call(id, 'MeterValues', {
    connectorId: 1, transactionId: tx,
    meterValue: [{ timestamp: now(), sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
  });
const start = { connectorId: 1, idTag: 'TAG-1', meterStart: 1_000_000, timestamp: '2024-07-01T08:05:00Z' };

await call(`boot-${phase}`, 'BootNotification', { chargePointVendor: 'evtwin', chargePointModel: 'Restart' });
const result = { replies, meter_wh: [] };
if (phase === 'before') {
  const [, , started] = await call('start-1', 'StartTransaction', start);
  result.transaction = started.transactionId;
  for (const [i, wh] of [1_001_500, 1_003_000].entries()) {
    await meter(`mv-before-${i}`, result.transaction, wh);
    result.meter_wh.push(wh);
  }
} else {
  const before = JSON.parse(readFileSync(state, 'utf8'));
  await call('start-1', 'StartTransaction', start);
  result.transaction = before.transaction;
  for (const [i, wh] of [1_004_500, 1_006_000].entries()) {
    await meter(`mv-after-${i}`, result.transaction, wh);
    result.meter_wh.push(wh);
  }
  await call('stop-1', 'StopTransaction', { transactionId: result.transaction, meterStop: 1_007_000, timestamp: now() });
}
ws.close();
writeFileSync(out, JSON.stringify(result));
