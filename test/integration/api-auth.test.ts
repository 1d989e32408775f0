import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Service } from '../../src/main.js';
import { makePayload } from '../support/alerts.js';
import { startTestService } from '../support/test-service.js';

const API_TOKEN = 'api-token-for-tests';
const WEBHOOK_TOKEN = 'webhook-token-for-tests';

describe('API and dashboard authentication with API_AUTH_TOKEN set', () => {
  let s: Service;
  before(async () => {
    s = await startTestService({ API_AUTH_TOKEN: API_TOKEN, WEBHOOK_AUTH_TOKEN: WEBHOOK_TOKEN });
  });
  after(async () => s.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${s.url}${path}`, { headers, redirect: 'manual' });

  it('answers 401 with a JSON error on every API route without a token or with a wrong one', async () => {
    for (const path of ['/api/v1/incidents', '/api/v1/alerts', '/api/v1/stats', '/api/v1/rollouts', '/api/v1/kb/cases', '/api/v1/cluster/deployments']) {
      const missing = await get(path);
      assert.equal(missing.status, 401, path);
      assert.match(((await missing.json()) as { error: string }).error, /missing bearer token/);
      const wrong = await get(path, { authorization: `Bearer ${API_TOKEN}x` });
      assert.equal(wrong.status, 401, path);
      assert.match(((await wrong.json()) as { error: string }).error, /invalid bearer token/);
    }
    const post = await fetch(`${s.url}/api/v1/incidents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"description":"x"}' });
    assert.equal(post.status, 401);
  });

  it('accepts the bearer header or the login cookie', async () => {
    assert.equal((await get('/api/v1/incidents', { authorization: `Bearer ${API_TOKEN}` })).status, 200);
    assert.equal((await get('/api/v1/incidents', { cookie: `other=1; k8flex_token=${API_TOKEN}` })).status, 200);
    assert.equal((await get('/api/v1/incidents', { cookie: 'k8flex_token=nope' })).status, 401);
  });

  it('does not accept the webhook token for the API, nor the API token for the webhook', async () => {
    assert.equal((await get('/api/v1/incidents', { authorization: `Bearer ${WEBHOOK_TOKEN}` })).status, 401);
    const hook = await fetch(`${s.url}/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_TOKEN}` },
      body: JSON.stringify(makePayload([{ fingerprint: 'auth-1' }])),
    });
    assert.equal(hook.status, 401);
  });

  it('serves the OpenAPI document without a token', async () => {
    const r = await get('/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as { openapi: string }).openapi, '3.1.0');
  });

  it('sends the dashboard to the login page, and the login page sets an HttpOnly, SameSite=Strict cookie for the right token only', async () => {
    const page = await get('/');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login');
    const login = await get('/login');
    assert.equal(login.status, 200);
    assert.match(await login.text(), /name="token"/);

    const submit = (token: string) =>
      fetch(`${s.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() });
    const wrong = await submit('guess');
    assert.equal(wrong.status, 303);
    assert.equal(wrong.headers.get('location'), '/login?failed=1');
    assert.equal(wrong.headers.get('set-cookie'), null);

    const right = await submit(API_TOKEN);
    assert.equal(right.status, 303);
    assert.equal(right.headers.get('location'), '/');
    const cookie = right.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^k8flex_token=/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);

    const dashboard = await get('/', { cookie: cookie.split(';')[0]! });
    assert.equal(dashboard.status, 200);
    assert.match(dashboard.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(await dashboard.text(), /<main id="app"/);
  });

  it('logs out by clearing the cookie', async () => {
    const r = await fetch(`${s.url}/logout`, { method: 'POST', redirect: 'manual' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/login');
    assert.match(r.headers.get('set-cookie') ?? '', /k8flex_token=;.*Expires=Thu, 01 Jan 1970/);
  });

  it('serves the dashboard assets without a token (they carry no data) and 404 for unknown ones', async () => {
    const js = await get('/static/app.js');
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.equal((await get('/static/missing.js')).status, 404);
    assert.equal((await get('/static/../make-dashboard-router.ts')).status, 404);
  });
});

describe('API and dashboard with API_AUTH_TOKEN unset', () => {
  let s: Service;
  before(async () => {
    s = await startTestService();
  });
  after(async () => s.stop());

  it('are open: the API answers without a token and the dashboard loads without a login', async () => {
    assert.equal((await fetch(`${s.url}/api/v1/incidents`)).status, 200);
    const page = await fetch(`${s.url}/`, { redirect: 'manual' });
    assert.equal(page.status, 200);
    const login = await fetch(`${s.url}/login`, { redirect: 'manual' });
    assert.equal(login.status, 303);
    assert.equal(login.headers.get('location'), '/');
  });
});
