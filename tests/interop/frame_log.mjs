// The canonical evtwin OCPP log (docs/ocpp.md): one JSON object a line,
// {"ts": ISO time, "cs": charge point id, "dir": "cs2csms" | "csms2cs", "frame": [...]},
// filled from ocpp-rpc's 'message' events, i.e. exactly the frames that crossed the WebSocket.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export class FrameLog {
  constructor(side) {
    this.side = side; // 'csms': the central system's view; 'cs': the charge points'
    this.lines = [];
    this.callErrors = 0;
  }

  // Hooks one RPC client (a server-side connection or a charge point).
  attach(client, identity) {
    client.on('message', ({ message, outbound }) => {
      const fromCs = this.side === 'cs' ? outbound : !outbound;
      this.add(identity, fromCs ? 'cs2csms' : 'csms2cs', message);
    });
  }

  add(cs, dir, message) {
    const frame = JSON.parse(message.toString());
    if (frame[0] === 4) this.callErrors++;
    // Monotonic clock, so the log's times never go back.
    const ts = new Date(Math.round(performance.timeOrigin + performance.now())).toISOString();
    this.lines.push(JSON.stringify({ ts, cs, dir, frame }));
  }

  get frames() {
    return this.lines.length;
  }

  write(file) {
    writeFileSync(file, this.lines.join('\n') + '\n');
  }
}
