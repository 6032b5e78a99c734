// The central system: one ocpp-rpc RPCServer (strict mode) serving OCPP 1.6 and 2.0.1 on the same
// endpoint. It answers the charge points, assigns the 1.6 transaction ids, keeps its own ledger of
// transactions, and can call a charge point (remote start/stop, configuration).
import { RPCServer, createRPCError } from 'ocpp-rpc';

export class CentralSystem {
  constructor(logs, failures) {
    this.logs = logs; // protocol -> FrameLog of the central system's side
    this.failures = failures;
    this.clients = new Map(); // identity -> server-side client
    this.ledger = new Map(); // `${cs}|${transactionId}` -> { meterStart, meterStop, ... } as the CSMS saw it
    this.nextTransactionId = 4711;
    this.server = new RPCServer({ protocols: ['ocpp1.6', 'ocpp2.0.1'], strictMode: true });
    this.server.on('client', (client) => this.accept(client));
  }

  async listen() {
    const http = await this.server.listen(0, '127.0.0.1');
    return http.address().port;
  }

  close() {
    return this.server.close({ awaitPending: true });
  }

  // A call from the central system to a charge point; resolves to its result.
  call(identity, method, params) {
    return this.clients.get(identity).call(method, params);
  }

  accept(client) {
    this.clients.set(client.identity, client);
    this.logs[client.protocol].attach(client, client.identity);
    for (const event of ['strictValidationFailure', 'badMessage'])
      client.on(event, (e) => this.failures.push(`central system, ${client.identity}: ${event}: ${e.error ?? e}`));
    if (client.protocol === 'ocpp1.6') this.handle16(client);
    else this.handle201(client);
    client.handle(({ method }) => {
      throw createRPCError('NotImplemented', `${method} is not handled by this central system`);
    });
  }

  now() {
    return new Date().toISOString();
  }

  handle16(client) {
    const cs = client.identity;
    client.handle('BootNotification', () => ({ status: 'Accepted', currentTime: this.now(), interval: 300 }));
    client.handle('Heartbeat', () => ({ currentTime: this.now() }));
    client.handle('StatusNotification', () => ({}));
    client.handle('MeterValues', () => ({}));
    client.handle('Authorize', ({ params }) => ({ idTagInfo: { status: this.tagStatus(params.idTag) } }));
    client.handle('StartTransaction', ({ params }) => {
      const transactionId = this.nextTransactionId++;
      this.ledger.set(`${cs}|${transactionId}`, { meterStart: params.meterStart, connector: params.connectorId });
      return { transactionId, idTagInfo: { status: this.tagStatus(params.idTag) } };
    });
    client.handle('StopTransaction', ({ params }) => {
      const t = this.ledger.get(`${cs}|${params.transactionId}`);
      if (!t) throw createRPCError('PropertyConstraintViolation', `unknown transaction ${params.transactionId}`);
      t.meterStop = params.meterStop;
      return { idTagInfo: { status: 'Accepted' } };
    });
  }

  handle201(client) {
    const cs = client.identity;
    client.handle('BootNotification', () => ({ status: 'Accepted', currentTime: this.now(), interval: 300 }));
    client.handle('Heartbeat', () => ({ currentTime: this.now() }));
    client.handle('StatusNotification', () => ({}));
    client.handle('MeterValues', () => ({}));
    client.handle('Authorize', ({ params }) => ({ idTokenInfo: { status: this.tagStatus(params.idToken.idToken) } }));
    client.handle('TransactionEvent', ({ params }) => {
      const key = `${cs}|${params.transactionInfo.transactionId}`;
      if (params.eventType === 'Started') this.ledger.set(key, { connector: params.evse?.id });
      const t = this.ledger.get(key);
      if (!t) throw createRPCError('PropertyConstraintViolation', `unknown transaction ${key}`);
      t.events = (t.events ?? 0) + 1;
      if (params.eventType === 'Ended') t.ended = true;
      return params.idToken ? { idTokenInfo: { status: this.tagStatus(params.idToken.idToken) } } : {};
    });
  }

  tagStatus(tag) {
    return tag.startsWith('BAD') || tag.includes('-XX-') ? 'Invalid' : 'Accepted';
  }
}
