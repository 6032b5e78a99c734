// What every page shows of its state the same way: body[data-state] (what the page is doing, for
// assistive technology and the headless tests), the page's error box, and the server's health in
// the header.
import { ApiError } from './api.js';

const $ = (id) => document.getElementById(id);

export function set_state(state) {
    document.body.dataset.state = state;
}

// The error in #page-error, a refused token said plainly; the page's state becomes `error`.
export function show_error(e) {
    $('page-error').hidden = false;
    $('page-error').textContent = e instanceof ApiError && e.status === 401
        ? 'The server refused the token: enter the token it printed at start.' : e.message;
    set_state('error');
}

// GET v1/health into #server-status.
export async function check_server() {
    try {
        const health = await (await fetch('v1/health', { signal: AbortSignal.timeout(5000) })).json();
        $('server-status').textContent = `evtwin ${health.version ?? ''} · ${health.status ?? 'unknown'}`;
        $('server-status').dataset.ok = String(health.status === 'ok');
    } catch {
        $('server-status').textContent = 'The server does not answer';
        $('server-status').dataset.ok = 'false';
    }
}
