// OCPP security profile 2 against evtwin's central system: ocpp-rpc charge points connect over TLS
// (trusting only the certificate the test made) with HTTP Basic credentials. Tries, in order:
// CP-A with its password in OCPP 1.6 and CS-B with its password in OCPP 2.0.1 (each boots and must be
// accepted), CP-A with a wrong password, CP-A with none, and CP-A over plain WebSocket on the same
// port (each must be refused before any OCPP frame).
// Writes OUT (JSON): per try, whether it connected, the HTTP status or error that refused it, and the
// BootNotification status when it connected.
// Usage: node live_security.mjs HOST:PORT CA_PEM PASSWORD_CP_A PASSWORD_CS_B OUT
import { readFileSync, writeFileSync } from 'node:fs';
import { RPCClient } from 'ocpp-rpc';

const [hostPort, caFile, passwordA, passwordB, out] = process.argv.slice(2);
if (!hostPort || !caFile || !passwordA || !passwordB || !out) {
  console.error('usage: node live_security.mjs HOST:PORT CA_PEM PASSWORD_CP_A PASSWORD_CS_B OUT');
  process.exit(2);
}
setTimeout(() => {
  console.error('live_security.mjs: still running after 60 s, giving up');
  process.exit(1);
}, 60_000).unref();

const ca = readFileSync(caFile);
const boots = {
  'ocpp1.6': ['BootNotification', { chargePointVendor: 'evtwin', chargePointModel: 'Secure' }],
  'ocpp2.0.1': ['BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'evtwin', model: 'Secure' } }],
};

async function attempt(name, { scheme = 'wss', identity, protocol, password }) {
  const client = new RPCClient({
    endpoint: `${scheme}://${hostPort}/ocpp`,
    identity,
    protocols: [protocol],
    strictMode: true,
    reconnect: false,
    ...(password === undefined ? {} : { password }),
    wsOpts: { ca, servername: 'localhost' },
  });
  try {
    await client.connect();
  } catch (err) {
    return { name, connected: false, status: err.code ?? null, error: String(err.message ?? err) };
  }
  const [action, payload] = boots[protocol];
  const reply = await client.call(action, payload);
  await client.close({ code: 1000 });
  return { name, connected: true, protocol: client.protocol, boot: reply.status };
}

const tries = [
  await attempt('cp_a_right_password', { identity: 'CP-A', protocol: 'ocpp1.6', password: passwordA }),
  await attempt('cs_b_right_password', { identity: 'CS-B', protocol: 'ocpp2.0.1', password: passwordB }),
  await attempt('cp_a_wrong_password', { identity: 'CP-A', protocol: 'ocpp1.6', password: `${passwordA}x` }),
  await attempt('cs_b_password_of_cp_a', { identity: 'CS-B', protocol: 'ocpp2.0.1', password: passwordA }),
  await attempt('cp_a_no_password', { identity: 'CP-A', protocol: 'ocpp1.6' }),
  await attempt('cp_a_plain_websocket', { scheme: 'ws', identity: 'CP-A', protocol: 'ocpp1.6', password: passwordA }),
];
writeFileSync(out, JSON.stringify(Object.fromEntries(tries.map((t) => [t.name, t]))));
