// The console's calls to the collector's JSON API. Same origin; the session cookie goes along
// by itself (HttpOnly: this code never sees it). A 401 means "sign in" and is reported to the
// page through onUnauthorized.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let unauthorized = () => {};

/** Registers what happens when a call answers 401. */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

async function call(method, path, body) {
  const init = { method, headers: { accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'the collector cannot be reached');
  }
  if (response.status === 204) return null;
  let data = null;
  const text = await response.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (!response.ok) {
    const message = (data && typeof data.error === 'string') ? data.error : `${response.status} ${response.statusText}`;
    if (response.status === 401 && path !== '/api/session') unauthorized();
    throw new ApiError(response.status, message);
  }
  return data;
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  session: () => call('GET', '/api/session'),
  signIn: (token) => call('POST', '/api/session', { token }),
  signOut: () => call('DELETE', '/api/session'),
  summary: (params) => call('GET', `/api/summary${query(params)}`),
  timeline: (params) => call('GET', `/api/timeline${query(params)}`),
  verdicts: (params) => call('GET', `/api/verdicts${query(params)}`),
  nodes: () => call('GET', '/api/nodes'),
  ipLists: () => call('GET', '/api/ip-lists'),
  addIp: (entry) => call('POST', '/api/ip-lists', entry),
  removeIp: (id) => call('DELETE', `/api/ip-lists/${encodeURIComponent(id)}`),
};
