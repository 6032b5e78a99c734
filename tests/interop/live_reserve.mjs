// Reservations with real peers: an OCPP 2.0.1 charging station (CP-A) and an OCPP 1.6 charge point
// (CP-B), ocpp-rpc clients in strict mode with validators built from the official schemas, connect
// to `evtwin serve --clock step`; the script reserves a connector on each through the HTTP API, has
// the 1.6 one cancelled, and starts the 2.0.1 holder's transaction. Writes what the peers received
// and what the API answered as JSON.
//
// node live_reserve.mjs SERVER_URL TOKEN_FILE SCHEMA_DIR OUT.json (SCHEMA_DIR holds v16/ and v201/)
import { RPCClient, createValidator } from 'ocpp-rpc';
import fs from 'node:fs';
import path from 'node:path';

const [server, tokenFile, schemaDir, out] = process.argv.slice(2);
const token = fs.readFileSync(tokenFile, 'utf8').trim();

// The official schemas under the ids ocpp-rpc asks for: urn:Action.req / urn:Action.conf. 2.0.1
// names them ActionRequest.json / ActionResponse.json, 1.6 Action.json / ActionResponse.json.
function officialValidator(version, folder) {
  const dir = path.join(schemaDir, folder);
  const schemas = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).flatMap((f) => {
    let action, kind;
    if (f.endsWith('Response.json')) [action, kind] = [f.slice(0, -'Response.json'.length), 'conf'];
    else if (f.endsWith('Request.json')) [action, kind] = [f.slice(0, -'Request.json'.length), 'req'];
    else if (folder === 'v16') [action, kind] = [f.slice(0, -'.json'.length), 'req'];
    else return [];
    if (folder === 'v16' && f.endsWith('Request.json')) return []; // 1.6 has Action.json for requests
    const schema = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    schema.$id = `urn:${action}.${kind}`;
    delete schema.$schema; // draft-04/06, which Ajv 8 reads as draft-07
    for (const definition of Object.values(schema.definitions ?? {}))
      if (definition.type === 'string') delete definition.additionalProperties;
    return [schema];
  });
  return createValidator(version, schemas);
}

const failures = [];
const api = [];

async function call(method, route, body) {
  const answer = await fetch(`${server}${route}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await answer.json();
  api.push({ method, route, status: answer.status, body: json });
  return { status: answer.status, body: json };
}

class Peer {
  constructor(id, protocol, validator) {
    this.id = id;
    this.received = [];
    this.client = new RPCClient({
      endpoint: `${server.replace(/^http/, 'ws')}/ocpp`, identity: id, protocols: [protocol], strictMode: true,
      strictModeValidators: [validator], reconnect: false,
    });
    for (const event of ['strictValidationFailure', 'badMessage'])
      this.client.on(event, (e) => failures.push(`${id}: ${event}: ${e.error ?? e}`));
    const accept = (method) => ({ params }) => {
      this.received.push({ method, params });
      return { status: 'Accepted' };
    };
    for (const method of ['ReserveNow', 'CancelReservation', 'SetChargingProfile', 'ClearChargingProfile'])
      this.client.handle(method, accept(method));
    this.client.handle('GetCompositeSchedule', ({ params }) => {
      this.received.push({ method: 'GetCompositeSchedule', params });
      return { status: 'Rejected' };
    });
  }
}

const a = new Peer('CP-A', 'ocpp2.0.1', officialValidator('ocpp2.0.1', 'v201'));
const b = new Peer('CP-B', 'ocpp1.6', officialValidator('ocpp1.6', 'v16'));
try {
  await a.client.connect();
  await b.client.connect();
  await a.client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } });
  await b.client.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
  const live = await call('GET', '/v1/live');
  const now = Date.parse(live.body.now);
  const to = new Date(now + 30 * 60_000).toISOString();

  await call('POST', '/v1/reservations', { charger: 'A', id_tag: 'car-17', to });
  await call('POST', '/v1/reservations', { charger: 'B', id_tag: 'TAG-8', to });
  await b.client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Reserved' });
  await call('DELETE', '/v1/reservations/2');
  await a.client.call('TransactionEvent', {
    eventType: 'Started', timestamp: new Date(now).toISOString(), triggerReason: 'Authorized', seqNo: 0,
    transactionInfo: { transactionId: 'TX-1', chargingState: 'Charging' }, evse: { id: 1, connectorId: 1 },
    idToken: { idToken: 'car-17', type: 'ISO14443' },
    meterValue: [{ timestamp: new Date(now).toISOString(), sampledValue: [{ value: 0, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }] }],
  });
  await call('GET', '/v1/reservations');
} catch (e) {
  failures.push(`script: ${e.stack ?? e}`);
}
await a.client.close().catch(() => {});
await b.client.close().catch(() => {});
fs.writeFileSync(out, JSON.stringify({ failures, api, received: { 'CP-A': a.received, 'CP-B': b.received } }, null, 1));
