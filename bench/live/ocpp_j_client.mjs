// The load fleet's charge point connection: OCPP-J (RPC frames over one WebSocket) and nothing
// more. The fleet runs a thousand of these on one node process beside the server under test, so
// each call costs what the protocol needs: no schema checks (the server checks every frame), no
// timer per call (one sweep a second fails the calls that waited longer than `callTimeoutMs`).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(fileURLToPath(new URL('../../tests/interop/package.json', import.meta.url)));
const WebSocket = require('ws');

const CALL = 2, CALLRESULT = 3, CALLERROR = 4;

export class OcppJClient {
  // `url` the central system's OCPP endpoint (ws://host:port/ocpp); the charge point connects to
  // url/identity and asks for `protocol` (ocpp1.6, ocpp2.0.1, ocpp2.1).
  constructor(url, identity, protocol, { callTimeoutMs = 30_000 } = {}) {
    this.address = `${url}/${encodeURIComponent(identity)}`;
    this.protocol = protocol;
    this.callTimeoutMs = callTimeoutMs;
    this.handlers = new Map();
    this.pending = new Map();  // message id -> { resolve, reject, sentAt }
    this.nextId = 1;
    this.socket = null;
    this.sweep = null;
  }

  // `handler({ params })` answers the central system's CALLs of `action` (a value, or a promise).
  handle(action, handler) {
    this.handlers.set(action, handler);
  }

  connect() {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.address, [this.protocol]);
      socket.once('open', () => {
        if (socket.protocol !== this.protocol) {
          socket.terminate();
          reject(new Error(`${this.address}: the server chose subprotocol '${socket.protocol}', not ${this.protocol}`));
          return;
        }
        this.socket = socket;
        socket.on('message', (data) => this.#receive(data));
        socket.on('close', () => this.#failPending(new Error('connection closed')));
        socket.on('error', (e) => this.#failPending(e));  // unheard, an error would end the fleet
        this.sweep = setInterval(() => this.#failOverdue(), 1000);
        resolve();
      });
      socket.once('error', reject);
    });
  }

  call(action, payload) {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, sentAt: Date.now() });
      this.socket.send(JSON.stringify([CALL, id, action, payload]));
    });
  }

  close() {
    clearInterval(this.sweep);
    return new Promise((resolve) => {
      if (!this.socket || this.socket.readyState === WebSocket.CLOSED) return resolve();
      this.socket.once('close', resolve);
      this.socket.close(1000);
    });
  }

  #receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;  // not JSON: the call it answers (if any) fails at the sweep
    }
    if (!Array.isArray(frame)) return;
    const [type, id] = frame;
    if (type === CALL) {
      this.#answer(id, frame[2], frame[3]);
      return;
    }
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    if (type === CALLRESULT) waiting.resolve(frame[2]);
    else if (type === CALLERROR) waiting.reject(new Error(`${frame[2]}: ${frame[3]}`));
  }

  async #answer(id, action, params) {
    const handler = this.handlers.get(action);
    if (!handler) {
      this.socket.send(JSON.stringify([CALLERROR, id, 'NotImplemented', `no handler for ${action}`, {}]));
      return;
    }
    try {
      this.socket.send(JSON.stringify([CALLRESULT, id, await handler({ params })]));
    } catch (e) {
      this.socket.send(JSON.stringify([CALLERROR, id, 'InternalError', String(e.message ?? e), {}]));
    }
  }

  #failOverdue() {
    const before = Date.now() - this.callTimeoutMs;
    for (const [id, waiting] of this.pending) {
      if (waiting.sentAt > before) continue;
      this.pending.delete(id);
      waiting.reject(new Error(`no answer within ${this.callTimeoutMs} ms`));
    }
  }

  #failPending(error) {
    clearInterval(this.sweep);
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
