// Starts `evtwin serve` on a free loopback port with its own token file and database in the output
// folder, serving the page of this checkout (--web), waits until it answers /v1/health, and stops it
// again (SIGTERM, then SIGKILL).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function free_port() {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.unref();
        probe.on('error', reject);
        probe.listen(0, '127.0.0.1', () => {
            const { port } = probe.address();
            probe.close(() => resolve(port));
        });
    });
}

function tail(file, lines = 20) {
    try {
        return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
        return '(no log)';
    }
}

// `args`: more options of evtwin serve (e.g. --results FILE).
export async function start_server(evtwin, out, web, { timeout_ms = 30_000, args = [] } = {}) {
    const db = path.join(out, 'plans.db');
    // A live server's frame log goes with its database: left from an earlier run, its replies would
    // answer the charge points' repeated message ids as retransmissions.
    for (const suffix of ['', '-wal', '-shm', '.ocpp.jsonl']) fs.rmSync(db + suffix, { force: true });
    const token = randomBytes(32).toString('hex');
    const token_file = path.join(out, 'token');
    fs.rmSync(token_file, { force: true });
    fs.writeFileSync(token_file, `${token}\n`, { mode: 0o600 });
    const port = await free_port();
    const url = `http://127.0.0.1:${port}/`;
    const log_file = path.join(out, 'server.log');
    const log = fs.openSync(log_file, 'w');
    const child = spawn(evtwin, ['serve', '--listen', `127.0.0.1:${port}`, '--db', db, '--token-file', token_file, '--web', web, ...args],
        { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    let exited = null;
    const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
    child.on('error', (e) => (exited = { error: e.message }));

    const server = {
        url, token, log_file,
        // How it ended: {code, signal, early}; early when it had stopped before being asked to.
        async stop() {
            if (exited) return { ...exited, early: true };
            child.kill('SIGTERM');
            const stopped = await Promise.race([exit, sleep(5000).then(() => null)]);
            if (stopped) return stopped;
            child.kill('SIGKILL');
            return exit;
        },
    };

    const deadline = Date.now() + timeout_ms;
    while (Date.now() < deadline) {
        if (exited) {
            throw new Error(`evtwin serve exited before answering (${JSON.stringify(exited)}); its log:\n${tail(log_file)}`);
        }
        try {
            const response = await fetch(`${url}v1/health`, { signal: AbortSignal.timeout(1000) });
            if (response.ok) return server;
        } catch {
            // not listening yet
        }
        await sleep(100);
    }
    await server.stop();
    throw new Error(`evtwin serve did not answer GET /v1/health within ${timeout_ms / 1000} s; its log:\n${tail(log_file)}`);
}
