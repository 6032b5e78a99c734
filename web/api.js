// The planning API as the page uses it. Paths are relative to the page, so the page also works when
// a proxy serves evtwin under a prefix.

const TOKEN_KEY = 'evtwin.token';

export const token = {
    get: () => localStorage.getItem(TOKEN_KEY) ?? '',
    set: (value) => (value ? localStorage.setItem(TOKEN_KEY, value) : localStorage.removeItem(TOKEN_KEY)),
};

// An error the API answered ({"error": {status, path, message}}), or one of the network's (status 0).
export class ApiError extends Error {
    constructor(status, path, message) {
        super(message);
        this.status = status;
        this.path = path ?? '';
    }
}

async function call(method, path, body, timeout_ms) {
    const headers = { Accept: 'application/json' };
    const value = token.get();
    if (value) headers.Authorization = `Bearer ${value}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
        response = await fetch(path, {
            method, headers, body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(timeout_ms),
        });
    } catch (e) {
        const why = e.name === 'TimeoutError' ? `no answer in ${timeout_ms / 1000} s` : 'the server cannot be reached';
        throw new ApiError(0, '', `${method} ${path}: ${why}`);
    }
    const text = await response.text();
    let json = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch {
        // a proxy's HTML error page, say: reported below with the status
    }
    if (!response.ok) {
        const error = json?.error;
        if (error?.message) throw new ApiError(error.status ?? response.status, error.path, error.message);
        throw new ApiError(response.status, '', `${method} ${path}: HTTP ${response.status} ${response.statusText}`);
    }
    if (json === null) throw new ApiError(response.status, '', `${method} ${path}: the answer is not JSON`);
    return json;
}

// "?a=1&b=x" of the parameters that have a value ('' and null are left out).
function query(params = {}) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    const text = q.toString();
    return text ? `?${text}` : '';
}

// The runs of the results databases the server was started with (--results), read-only.
export const results = {
    runs: (filters) => call('GET', `v1/results/runs${query(filters)}`, undefined, 30_000),
    run: (id) => call('GET', `v1/results/runs/${encodeURIComponent(id)}`, undefined, 30_000),
    // view: power, connectors, stations, events or limits.
    view: (id, view, params) => call('GET', `v1/results/runs/${encodeURIComponent(id)}/${view}${query(params)}`, undefined, 60_000),
};

// Live mode's routes (docs/live.md): the site now, and its next hours under each strategy.
export const live = {
    state: () => call('GET', 'v1/live', undefined, 10_000),
    outlook: (params) => call('GET', `v1/live/outlook${query(params)}`, undefined, 120_000),
};

export const api = {
    strategies: () => call('GET', 'v1/strategies', undefined, 10_000),
    // A plan runs the engine twice (plan and baseline): give a long horizon of MPC solves time.
    plan: (request) => call('POST', 'v1/plans', request, 600_000),
    get_plan: (id) => call('GET', `v1/plans/${encodeURIComponent(id)}`, undefined, 30_000),
};
