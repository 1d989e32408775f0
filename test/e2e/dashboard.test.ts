import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Service } from '../../src/main.js';
import { makePayload } from '../support/alerts.js';
import { eventually, startTestService } from '../support/test-service.js';

/** The slice of the browser's globals the page functions below use (this file compiles without the DOM library). */
declare const document: { querySelector(s: string): { textContent: string | null } | null; querySelectorAll(s: string): { length: number } };
declare const window: { __xss?: string };

const CHROMIUM = '/usr/bin/chromium';
const API_TOKEN = 'dashboard-e2e-token';
const WEBHOOK_TOKEN = 'dashboard-e2e-webhook';
/** docs/screenshots is refreshed only on request (UPDATE_SCREENSHOTS=1), so a test run leaves the tree clean. */
const SCREENSHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(import.meta.dirname, '..', '..', 'docs', 'screenshots')
    : mkdtempSync(join(tmpdir(), 'k8flex-screenshots-'));
const XSS_LABEL = '<script>window.__xss = "label"</script>';
const XSS_ANNOTATION = '<img src="x" onerror="window.__xss = \'annotation\'">';

describe('the web dashboard in a real browser', () => {
  let s: Service;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};

  // Predicates are functions, not strings: the dashboard's CSP forbids eval.
  const rowCount = (n: number) => page.waitForFunction((count) => document.querySelectorAll('#incidents-table tbody tr').length === count, n);
  const statusShown = (status: string, timeout?: number) =>
    page.waitForFunction((s) => document.querySelector('#incident-title .status')?.textContent === s, status, { timeout });
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const post = (path: string, body: unknown, token: string) =>
    fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const incident = async (id: string) =>
    (await (await fetch(`${s.url}/api/v1/incidents/${id}`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json()) as { status: string };

  before(async () => {
    assert.ok(
      existsSync(CHROMIUM),
      `${CHROMIUM} is missing: install the Debian package chromium (apt-get install -y chromium) to run the dashboard browser tests`,
    );
    mkdirSync(SCREENSHOTS, { recursive: true });
    s = await startTestService({ API_AUTH_TOKEN: API_TOKEN, WEBHOOK_AUTH_TOKEN: WEBHOOK_TOKEN });

    // An alert whose labels and annotations carry markup: it must show as text.
    const hook = await post(
      '/webhook',
      makePayload([
        {
          fingerprint: 'xss-1',
          alertname: 'KubePodCrashLooping',
          labels: { namespace: 'shop', pod: 'cart-5d8f9c7b6d-x2x4k', team: XSS_LABEL },
          annotations: { summary: `Pod shop/cart is crash looping ${XSS_ANNOTATION}`, description: XSS_LABEL },
        },
        { fingerprint: 'oom-1', alertname: 'KubeContainerOOMKilled', labels: { namespace: 'payments', pod: 'ledger-7c9f8d7b5d-4xkqp', reason: 'OOMKilled' } },
      ]),
      WEBHOOK_TOKEN,
    );
    assert.equal(hook.status, 200);
    const created = ((await hook.json()) as { new_incidents: string[] }).new_incidents;
    await eventually(async () => ((await Promise.all(created.map(incident))).every((i) => i.status === 'completed') ? true : undefined), 30_000, 'alert analyses');
    const list = (await (await fetch(`${s.url}/api/v1/incidents?q=cart`, { headers: { authorization: `Bearer ${API_TOKEN}` } })).json()) as { items: { id: string }[] };
    ids.xss = list.items[0]!.id;

    // An investigation that is mid-analysis, with no job: the test writes its stream.
    ids.live = randomUUID();
    await s.pool.query(
      `INSERT INTO incidents (id, group_key, source, cluster, alertname, namespace, description, status, started_at, notify)
       VALUES ($1, $2, 'api', 'default', 'ManualInvestigation', 'billing', 'invoices are not being generated in namespace billing', 'investigating', now(), false)`,
      [ids.live, `api/${ids.live}`],
    );

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(15_000);
  });

  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('asks for the API token, rejects a wrong one and opens the incidents list with the right one', async () => {
    await page.goto(s.url);
    assert.match(page.url(), /\/login$/);
    await page.fill('input[name=token]', 'wrong');
    await page.click('button[type=submit]');
    await page.waitForSelector('#failed:not([hidden])');
    await shot('login');
    await page.fill('input[name=token]', API_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('#incidents-table');
    const cookies = await page.context().cookies();
    const cookie = cookies.find((c) => c.name === 'k8flex_token');
    assert.ok(cookie?.httpOnly);
    assert.equal(cookie?.sameSite, 'Strict');
  });

  it('lists incidents newest first with status, category, namespace/workload and source', async () => {
    await rowCount(3);
    const rows = await page.$$eval('#incidents-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '')));
    assert.equal(rows[0]![1], 'invoices are not being generated in namespace billing');
    assert.equal(rows[0]![0], 'investigating');
    assert.equal(rows[0]![4], 'API');
    const oom = rows.find((r) => r[1]!.startsWith('KubeContainerOOMKilled'));
    assert.deepEqual([oom![0], oom![2], oom![4]], ['completed', 'oom-killed', 'alert']);
    assert.match(oom![3]!, /payments \/ Deployment ledger/);
    await shot('incidents');
  });

  it('shows markup from alert labels and annotations as text and never runs it', async () => {
    const title = await page.textContent(`#incidents-table tr[data-id="${ids.xss}"] .incident-title`);
    assert.equal(title, 'KubePodCrashLooping');
    await page.click(`#incidents-table tr[data-id="${ids.xss}"] .incident-title`);
    await page.waitForSelector('#alerts table.kv');
    const text = await page.textContent('#alerts');
    assert.ok(text?.includes(XSS_LABEL), 'the <script> label is shown literally');
    assert.ok(text?.includes(XSS_ANNOTATION), 'the <img onerror> annotation is shown literally');
    assert.equal(await page.evaluate(() => window.__xss), undefined);
    assert.equal(await page.$$eval('#app script, #app img', (els) => els.length), 0);
  });

  it('opens an incident with its analysis, root cause, evidence and alerts', async () => {
    await page.goto(`${s.url}/#/incidents/${ids.xss}`);
    await page.waitForSelector('#root-cause');
    assert.equal(await page.textContent('#incident-title .status'), 'completed');
    assert.ok(((await page.textContent('#analysis')) ?? '').length > 20);
    assert.ok(await page.$('#evidence'));
    assert.match((await page.textContent('#feedback')) ?? '', /No feedback yet/);
    await shot('incident');
  });

  it('shows an analysis live while it streams and the finished incident when it completes', async () => {
    await page.goto(`${s.url}/#/incidents/${ids.live}`);
    await page.waitForSelector('#analysis');
    s.bus.publish(ids.live!, { type: 'chunk', text: '## Summary\nThe invoice CronJob ' });
    await page.waitForSelector('#analysis.streaming');
    s.bus.publish(ids.live!, { type: 'chunk', text: 'has been **suspended** since the last deploy.\n\n## Root cause\n' });
    await page.waitForFunction(() => document.querySelector('#analysis')?.textContent?.includes('suspended since the last deploy'));
    assert.equal(await page.textContent('#analysis strong'), 'suspended');
    await shot('incident-streaming');

    const text = '## Summary\nThe invoice CronJob has been **suspended** since the last deploy.\n\n## Root cause\nspec.suspend is true.';
    s.bus.publish(ids.live!, { type: 'chunk', text: 'spec.suspend is true.' });
    await s.pool.query(
      `INSERT INTO analyses (incident_id, mode, category, summary, root_cause, confidence, owner, text, sections)
       VALUES ($1, 'offline', 'job-failed', 'CronJob suspended', 'spec.suspend is true on CronJob invoices', 'high', 'application', $2, '{}')`,
      [ids.live, text],
    );
    await s.pool.query(`UPDATE incidents SET status = 'completed', completed_at = now(), category = 'job-failed' WHERE id = $1`, [ids.live]);
    s.bus.publish(ids.live!, { type: 'done', status: 'completed' });
    await statusShown('completed');
    assert.match((await page.textContent('#root-cause')) ?? '', /spec\.suspend is true on CronJob invoices/);
    assert.equal(await page.$('#analysis.streaming'), null);
  });

  it('filters the list by free text and to failing or open incidents only', async () => {
    await page.goto(`${s.url}/#/`);
    await rowCount(3);
    await page.fill('#search', 'ledger');
    await rowCount(1);
    assert.match((await page.textContent('#incidents-table tbody')) ?? '', /KubeContainerOOMKilled/);
    await page.fill('#search', '');
    await rowCount(3);
    await s.pool.query(`UPDATE incidents SET status = 'failed', error = 'cluster unreachable' WHERE id = $1`, [ids.xss]);
    await page.check('#open-only');
    await rowCount(1);
    assert.equal(await page.textContent('#incidents-table tbody tr .status'), 'failed');
    await shot('incidents-failing');
    await page.uncheck('#open-only');
  });

  it('starts an investigation from the form, without Slack, and shows it to completion', async () => {
    await page.goto(`${s.url}/#/investigate`);
    await page.click('#start');
    assert.match((await page.textContent('#form-error')) ?? '', /Describe the problem/);
    await page.fill('#description', 'Pod auth-7d9f in namespace prod is OOMKilled');
    await shot('investigate');
    await page.click('#start');
    await page.waitForURL(/#\/incidents\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    await statusShown('completed', 30_000);
    assert.ok(((await page.textContent('#analysis')) ?? '').length > 20);
    const row = (await s.pool.query('SELECT source, notify, entities FROM incidents WHERE id = $1', [id])).rows[0];
    assert.deepEqual(row, { source: 'dashboard', notify: false, entities: { namespace: 'prod', pod: 'auth-7d9f' } });
  });

  it('says clearly in the cluster view when there is no cluster access', async () => {
    await page.goto(`${s.url}/#/cluster`);
    await page.waitForSelector('#cluster-notice');
    assert.match((await page.textContent('#cluster-notice')) ?? '', /No Kubernetes access is configured/);
    await shot('cluster');
  });

  it('shows empty rollouts and knowledge base pages and the counts page while there is nothing in them', async () => {
    await page.goto(`${s.url}/#/rollouts`);
    await page.waitForSelector('#rollouts .empty');
    await page.goto(`${s.url}/#/kb`);
    await page.waitForSelector('#kb .empty');
    await page.goto(`${s.url}/#/stats`);
    await page.waitForSelector('#accuracy');
    assert.match((await page.textContent('#stats')) ?? '', /4 incidents in total/);
    await shot('stats');
  });
});
