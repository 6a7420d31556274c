// The console's state in the browser: demo data, persistence across reloads, recovery from
// corrupt storage, two tabs kept in sync, import validation, export and reset.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_URL, launch, openPage, ready, screenshot, storedLog } from './browser.mjs';

const LEGACY_KEY = 'brain.console.state';
const HEAD_KEY = 'brain.console.head';
const CORRUPT_KEY = 'brain.console.corrupt';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function loadDemo(page) {
  await page.getByTestId('load-demo').click();
  await page.getByTestId('toast').filter({ hasText: 'demo data loaded' }).waitFor();
}

async function auditCount(page) {
  const card = page.getByTestId('block-card').filter({ hasText: 'audit entries' });
  return Number((await card.locator('.figure').textContent()).trim());
}

test('a first visit shows a welcome, and the demo fills the overview', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const { page, errors } = await openPage(context);
  await ready(page);
  assert.ok(await page.getByTestId('welcome').isVisible());
  await loadDemo(page);
  assert.equal(await page.getByTestId('welcome').count(), 0);
  assert.ok((await auditCount(page)) > 20, 'the demo writes audit entries');
  assert.ok((await page.getByTestId('alert-row').count()) >= 1, 'the demo raises at least one live alert');
  assert.ok((await page.getByTestId('audit-row').count()) >= 1);
  await page.getByTestId('overall-status').getByText(/checks pass/).waitFor();
  await screenshot(page, 'overview-demo');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the state survives a reload', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openPage(context);
  await ready(page);
  await loadDemo(page);
  const before = await auditCount(page);
  await page.reload();
  await page.getByTestId('block-cards').waitFor();
  assert.equal(await auditCount(page), before);
  // Stored as the log of commands (no snapshot), which one more action extends by one.
  const stored = await storedLog(page);
  assert.equal(stored.head.format, 2);
  assert.equal(stored.head.origin, false);
  assert.ok(stored.head.revision > 20);
  assert.equal(stored.commands.length, stored.head.revision);
  assert.ok(!stored.keys.includes(LEGACY_KEY));
  await page.goto(`${BASE_URL}/ingest`);
  await page.getByTestId('source-name').fill('one more');
  await page.getByTestId('source-add').click();
  await page.getByTestId('source-result').filter({ hasText: 'added' }).waitFor();
  const after = await storedLog(page);
  assert.equal(after.head.revision, stored.head.revision + 1);
  assert.deepEqual(after.commands.slice(0, -1), stored.commands);
  assert.match(JSON.stringify(after.commands.at(-1)), /one more/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('corrupt storage: the console starts, keeps the data aside and offers it for download', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page } = await openPage(context);
  await ready(page);
  await page.evaluate((k) => localStorage.setItem(k, '{"format":1,"revision":3,"writer":"x","snapshot":{"schema_version":1,"state":'), LEGACY_KEY);
  await page.reload();
  const notice = page.getByTestId('notice-corrupt');
  await notice.waitFor();
  assert.match(await notice.textContent(), /could not be read/);
  const aside = await page.evaluate((k) => localStorage.getItem(k), CORRUPT_KEY);
  assert.ok(aside.startsWith('{"format":1'), 'the corrupt data is kept aside');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-corrupt').click()]);
  const body = await readFile(await download.path(), 'utf8');
  assert.equal(body, aside);
  // The console works: the demo loads and is saved.
  await loadDemo(page);
  assert.ok((await auditCount(page)) > 0);
  await screenshot(page, 'state-corrupt-recovery');
  await context.close();
});

test('two tabs: a change in one shows in the other', async () => {
  const context = await browser.newContext();
  const a = await openPage(context);
  const b = await openPage(context);
  await ready(a.page);
  await ready(b.page);
  await loadDemo(a.page);
  const afterDemo = await auditCount(a.page);
  // Tab B sees the demo without a reload.
  await b.page.waitForFunction(
    (n) => [...document.querySelectorAll('[data-testid=block-card]')].some((c) => c.textContent.includes('audit entries') && c.textContent.includes(String(n))),
    afterDemo,
  );
  assert.equal(await auditCount(b.page), afterDemo);
  // A reset in tab A empties tab B too.
  await a.page.getByTestId('reset').click();
  await a.page.getByTestId('reset-confirm').click();
  await b.page.getByTestId('welcome').waitFor();
  assert.equal(await auditCount(b.page), 0);
  await context.close();
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('importing a bad file is refused with a reason and keeps the current state', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'brain-import-'));
  const bad = join(dir, 'bad.json');
  await writeFile(bad, '{"schema_version": 1, "state": 42}');
  const notJson = join(dir, 'not.json');
  await writeFile(notJson, 'hello');
  const context = await browser.newContext({ acceptDownloads: true });
  const { page } = await openPage(context);
  await ready(page);
  await loadDemo(page);
  const before = await auditCount(page);
  for (const file of [bad, notJson]) {
    await page.getByTestId('import-state').setInputFiles(file);
    const toast = page.getByTestId('toast').filter({ hasText: 'import refused' }).last();
    await toast.waitFor();
    assert.match(await toast.textContent(), /current state kept/);
    assert.equal(await auditCount(page), before);
  }
  // A good file (this state's own export) imports.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-state').click()]);
  const exported = await readFile(await download.path(), 'utf8');
  const good = join(dir, 'good.json');
  await writeFile(good, exported);
  await page.getByTestId('reset').click();
  await page.getByTestId('reset-confirm').click();
  assert.equal(await auditCount(page), 0);
  await page.getByTestId('import-state').setInputFiles(good);
  await page.getByTestId('toast').filter({ hasText: 'state imported' }).waitFor();
  assert.equal(await auditCount(page), before);
  await context.close();
});

test('reset asks for confirmation and can be cancelled', async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context);
  await ready(page);
  await loadDemo(page);
  const before = await auditCount(page);
  await page.getByTestId('reset').click();
  await page.getByTestId('reset-cancel').click();
  assert.equal(await auditCount(page), before);
  await page.getByTestId('reset').click();
  await page.getByTestId('reset-confirm').click();
  assert.equal(await auditCount(page), 0);
  // The save runs in the next task, under the storage lock: reload once it is stored.
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('brain.console.head') ?? '{}').revision === 0);
  await page.reload();
  await page.getByTestId('block-cards').waitFor();
  assert.equal(await auditCount(page), 0, 'the reset is saved');
  await context.close();
});

test('two tabs editing at once: both edits are kept, none silently overwritten', async () => {
  const context = await browser.newContext();
  const a = await openPage(context);
  const b = await openPage(context);
  await a.page.goto(`${BASE_URL}/ingest`);
  await b.page.goto(`${BASE_URL}/ingest`);
  await a.page.getByTestId('source-row').first().waitFor();
  await b.page.getByTestId('source-row').first().waitFor();
  // Tab A stops hearing about other tabs' saves (every storage event looks like another key's),
  // so its next command starts from a state another tab has already moved past.
  await a.page.evaluate(() => Object.defineProperty(StorageEvent.prototype, 'key', { get: () => 'elsewhere' }));
  async function addSource(page, name) {
    await page.getByTestId('source-name').fill(name);
    await page.getByTestId('source-add').click();
    await page.getByTestId('source-result').filter({ hasText: 'added' }).waitFor();
  }
  await addSource(b.page, 'alpha leads');
  assert.equal(await a.page.getByTestId('source-row').filter({ hasText: 'alpha leads' }).count(), 0, 'tab A did not hear of it');
  await addSource(a.page, 'beta leads');
  for (const { page } of [a, b]) {
    await page.getByTestId('source-row').filter({ hasText: 'alpha leads' }).waitFor();
    await page.getByTestId('source-row').filter({ hasText: 'beta leads' }).waitFor();
  }
  const stored = JSON.stringify((await storedLog(a.page)).commands);
  assert.match(stored, /alpha leads/);
  assert.match(stored, /beta leads/);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await context.close();
});

test('a corrupt stored log: the console starts empty and keeps every stored key aside', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page } = await openPage(context);
  await ready(page);
  await loadDemo(page);
  const { head } = await storedLog(page);
  const chunk = `brain.console.log.${head.epoch}.0`;
  await page.evaluate((k) => localStorage.setItem(k, '[{"block":"ab","type":"Nope"}]'), chunk);
  await page.reload();
  const notice = page.getByTestId('notice-corrupt');
  await notice.waitFor();
  assert.match(await notice.textContent(), /could not be read/);
  assert.equal(await auditCount(page), 0);
  const aside = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), CORRUPT_KEY));
  assert.equal(aside[chunk], '[{"block":"ab","type":"Nope"}]');
  assert.equal(JSON.parse(aside[HEAD_KEY]).revision, head.revision);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-corrupt').click()]);
  assert.deepEqual(JSON.parse(await readFile(await download.path(), 'utf8')), aside);
  await context.close();
});

test('a format-1 record from an earlier console is migrated without loss', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page, errors } = await openPage(context);
  await ready(page);
  await loadDemo(page);
  const before = await auditCount(page);
  const exportNow = async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-state').click()]);
    return readFile(await download.path(), 'utf8');
  };
  const exported = await exportNow();
  await page.evaluate(([k, snap]) => {
    localStorage.clear();
    localStorage.setItem(k, `{"format":1,"revision":12,"writer":"tab-old","snapshot":${snap}}`);
  }, [LEGACY_KEY, exported]);
  await page.reload();
  await page.getByTestId('block-cards').waitFor();
  assert.equal(await auditCount(page), before);
  const stored = await storedLog(page);
  assert.equal(stored.head.format, 2);
  assert.ok(!stored.keys.includes(LEGACY_KEY), 'the format-1 record is removed once rewritten');
  assert.equal(stored.commands.length, JSON.parse(exported).log.length, 'every command kept');
  await page.reload();
  await page.getByTestId('block-cards').waitFor();
  assert.equal(await exportNow(), exported, 'the same state and history, byte for byte');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a long stored history loads (with progress when it takes a while) and stays editable', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openPage(context);
  await ready(page);
  await loadDemo(page);
  const before = await auditCount(page);
  // 6,000 more commands, appended to the stored log the way the console appends them.
  const revision = await page.evaluate((headKey) => {
    const head = JSON.parse(localStorage.getItem(headKey));
    const commands = [];
    for (let n = 0; n < head.chunks; n++) commands.push(...JSON.parse(localStorage.getItem(`brain.console.log.${head.epoch}.${n}`)));
    let t = Date.parse(commands.at(-1).at);
    const variants = ['warm-open', 'direct-ask', 'story-led'];
    for (let i = 0; i < 6000; i++) {
      t += 1000;
      commands.push({ at: new Date(t).toISOString(), actor: 'console', block: 'ab', type: 'RecordCounts', experiment: 'opening-script', variant: variants[i % 3], trials: 10, conversions: 1 });
    }
    const CHUNK = 256;
    const chunks = Math.ceil(commands.length / CHUNK);
    for (let n = 0; n < chunks; n++) localStorage.setItem(`brain.console.log.${head.epoch}.${n}`, JSON.stringify(commands.slice(n * CHUNK, (n + 1) * CHUNK)));
    localStorage.setItem(headKey, JSON.stringify({ ...head, revision: commands.length, chunks }));
    return commands.length;
  }, HEAD_KEY);
  const started = Date.now();
  await page.reload();
  await page.getByTestId('block-cards').waitFor({ timeout: 60_000 });
  console.log(`# loaded ${before + 6000} audit entries in ${Date.now() - started} ms`);
  assert.equal(await auditCount(page), before + 6000);
  await page.goto(`${BASE_URL}/ingest`);
  await page.getByTestId('source-row').first().waitFor({ timeout: 60_000 });
  await page.getByTestId('source-name').fill('after a long load');
  await page.getByTestId('source-add').click();
  await page.getByTestId('source-result').filter({ hasText: 'added' }).waitFor();
  assert.equal((await storedLog(page)).head.revision, revision + 1, 'appended to the long log');
  assert.deepEqual(errors, []);
  await context.close();
});

test('an action reads only the head and writes only the last chunk and the head', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openPage(context);
  await ready(page);
  await loadDemo(page);
  await page.goto(`${BASE_URL}/ingest`);
  await page.getByTestId('source-row').first().waitFor();
  await page.evaluate(() => {
    window.storageCalls = [];
    const { getItem, setItem } = Storage.prototype;
    // sessionStorage's calls are named as such: the tab's own copy of its unsaved command.
    const name = (store, k) => (store === sessionStorage ? `session ${k}` : k);
    Storage.prototype.getItem = function (k) {
      window.storageCalls.push(`get ${name(this, k)}`);
      return getItem.call(this, k);
    };
    Storage.prototype.setItem = function (k, v) {
      window.storageCalls.push(`set ${name(this, k)}`);
      return setItem.call(this, k, v);
    };
  });
  await page.getByTestId('source-name').fill('cheap to save');
  await page.getByTestId('source-add').click();
  await page.getByTestId('source-result').filter({ hasText: 'added' }).waitFor();
  const calls = await page.evaluate(() => window.storageCalls);
  const { head } = await storedLog(page);
  const last = `brain.console.log.${head.epoch}.${head.chunks - 1}`;
  assert.deepEqual(
    [...new Set(calls)].sort(),
    // Besides the head and the last chunk, only the witness (a ~90-character tree head, written
    // before the head, its previous value read to restore it if the save fails), and the command
    // kept in this tab's sessionStorage until its save has run (web/src/unsaved.rs).
    [`get ${HEAD_KEY}`, `set ${HEAD_KEY}`, `set ${last}`, 'get brain.witness', 'set brain.witness', 'set session brain.console.unsaved'].sort(),
    'another tab\'s progress is read from the head alone; the log is never read back',
  );
  assert.equal(await page.evaluate(() => sessionStorage.getItem('brain.console.unsaved')), null, 'saved: nothing kept aside');
  assert.deepEqual(errors, []);
  await context.close();
});
