// The dashboard reads only the REST API (same origin; the login cookie authenticates).

export class ApiError extends Error {}

// 503 means "temporarily unavailable, retry later" (src/http/error-middleware.ts): reads retry.
const READ_RETRIES = 3;

export async function api(path, options = {}) {
  const send = () => fetch(`/api/v1${path}`, {
    ...options,
    headers: { accept: 'application/json', ...(options.body ? { 'content-type': 'application/json' } : {}), ...options.headers },
    credentials: 'same-origin',
  });
  let res = await send();
  for (let attempt = 1; res.status === 503 && !options.method && attempt <= READ_RETRIES; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 400 * attempt));
    res = await send();
  }
  if (res.status === 401) {
    location.assign('/login');
    throw new ApiError('not logged in');
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(body.error ?? `HTTP ${res.status}`);
  return body;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
