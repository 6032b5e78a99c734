// Interop with a real OCPP implementation: ocpp-rpc runs a central system and charge points on
// 127.0.0.1 (an ephemeral port), in OCPP 1.6J and 2.0.1, strict mode on both ends, and plays the
// sessions of scenario.mjs. Writes into OUTDIR:
//   csms16.jsonl, csms201.jsonl  every frame as the central system sent and received it
//   cs16.jsonl, cs201.jsonl      the same traffic as the charge points saw it
//   expected.json                what evtwin must rebuild from each log
// Exits 1 (saying why) on any strict-mode validation failure, bad message or disagreement.
// Usage: node tests/interop/play.mjs OUTDIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CentralSystem } from './central_system.mjs';
import { ChargePoint16 } from './charge_point16.mjs';
import { ChargingStation201 } from './charging_station201.mjs';
import { Expected } from './expected.mjs';
import { FrameLog } from './frame_log.mjs';
import { chargePoints16, stations201 } from './scenario.mjs';

const out = process.argv[2];
if (!out) {
  console.error('usage: node play.mjs OUTDIR');
  process.exit(2);
}
setTimeout(() => {
  console.error('play.mjs: still running after 60 s, giving up');
  process.exit(1);
}, 60_000).unref();

const PROTOCOLS = { 'ocpp1.6': '16', 'ocpp2.0.1': '201' };
const failures = [];
const logs = { csms: {}, cs: {} };
const expected = {};
for (const p of Object.keys(PROTOCOLS)) {
  logs.csms[p] = new FrameLog('csms');
  logs.cs[p] = new FrameLog('cs');
  expected[p] = new Expected();
}

// The central system's ledger must agree with what the charge points say they did.
function crossCheck(csms) {
  for (const [p, e] of Object.entries(expected)) {
    for (const t of e.transactions) {
      const seen = csms.ledger.get(`${t.cs}|${t.transaction_id}`);
      if (!seen) failures.push(`${p}: the central system never saw transaction ${t.transaction_id} of ${t.cs}`);
      else if (p === 'ocpp1.6' && (seen.meterStart !== t.meter_start_wh || seen.meterStop !== t.meter_stop_wh))
        failures.push(`${p}: meter of transaction ${t.transaction_id} differs between ${t.cs} and the central system`);
      else if (p === 'ocpp2.0.1' && !seen.ended) failures.push(`${p}: transaction ${t.transaction_id} never ended at the central system`);
    }
    const ledger = [...csms.ledger.keys()].filter((k) => e.transactions.some((t) => k.startsWith(`${t.cs}|`)));
    if (ledger.length !== e.transactions.length)
      failures.push(`${p}: the central system has ${ledger.length} transactions, the charge points ${e.transactions.length}`);
  }
}

try {
  const csms = new CentralSystem(logs.csms, failures);
  const port = await csms.listen();
  const url = `ws://127.0.0.1:${port}`;
  const stations = [
    ...chargePoints16.map((s) => new ChargePoint16(s, url, csms, logs.cs['ocpp1.6'], expected['ocpp1.6'], failures)),
    ...stations201.map((s) => new ChargingStation201(s, url, csms, logs.cs['ocpp2.0.1'], expected['ocpp2.0.1'], failures)),
  ];
  await Promise.all(stations.map((s) => s.run()));
  await csms.close();
  crossCheck(csms);
} catch (e) {
  failures.push(`play.mjs: ${e.stack ?? e}`);
}

mkdirSync(out, { recursive: true });
const result = { logs: {} };
for (const [p, suffix] of Object.entries(PROTOCOLS)) {
  const [a, b] = [logs.csms[p], logs.cs[p]];
  if (a.frames !== b.frames) failures.push(`${p}: the central system logged ${a.frames} frames, the charge points ${b.frames}`);
  for (const [side, log] of [['csms', a], ['cs', b]]) {
    const file = `${side}${suffix}.jsonl`;
    log.write(join(out, file));
    result.logs[file] = { protocol: p, frames: log.frames, call_errors: log.callErrors, ...expected[p] };
  }
}
writeFileSync(join(out, 'expected.json'), JSON.stringify(result, null, 1) + '\n');

if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
for (const [file, r] of Object.entries(result.logs))
  console.log(`${file}: ${r.frames} frames, ${r.transactions.length} transactions, ` +
    `${r.transactions.reduce((s, t) => s + t.energy_kwh, 0).toFixed(3)} kWh, ${r.meterValues.length} sampled values`);
