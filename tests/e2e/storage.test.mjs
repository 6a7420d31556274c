// Storage that loses nothing (issue 13, item 4): the stored log's read-modify-write runs under a
// Web Lock, so two tabs acting at the same moment both keep their command; a second corruption
// keeps the first's copy; a full quota never deletes the only copy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE_URL, launch, openPage, ready, storedLog, until } from './browser.mjs';

const HEAD_KEY = 'brain.console.head';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('two tabs saving at the same moment: the lock keeps both commands', async () => {
  const context = await browser.newContext();
  const a = await openPage(context);
  const b = await openPage(context);
  await ready(a.page);
  await a.page.getByTestId('load-demo').click();
  await a.page.getByTestId('toast').filter({ hasText: 'demo data loaded' }).waitFor();
  await ready(a.page, '/ingest');
  await ready(b.page, '/ingest');
  await b.page.getByTestId('source-row').first().waitFor();
  await a.page.getByTestId('source-name').fill('from tab a');
  await b.page.getByTestId('source-name').fill('from tab b');
  // Tab B's next save stalls for 1.5 s after writing its chunk, before its head: the window in
  // which another tab, still holding the stale head, would write the same chunk position.
  await b.page.evaluate(() => {
    const { setItem } = Storage.prototype;
    let stalled = false;
    Storage.prototype.setItem = function (k, v) {
      const r = setItem.call(this, k, v);
      if (!stalled && k.startsWith('brain.console.log.')) {
        stalled = true;
        const until = Date.now() + 1500;
        while (Date.now() < until) {
          // a slow write: this tab is between its read of the head and its write of it
        }
      }
      return r;
    };
  });
  // Clicks from a script: Chromium's input pipeline would hold tab A's click until B is idle.
  const click = (page) => page.evaluate(() => document.querySelector('[data-testid=source-add]').click());
  const clickB = click(b.page);
  // Tab A clicks once tab B holds the storage lock (web/src/storage/format.rs LOCK_NAME), however
  // slowly B handled its click on a loaded machine.
  await until(a.page, async () => (await navigator.locks.query()).held.some((l) => l.name === 'brain.console.log'), null, {
    what: 'tab B to hold the storage lock',
  });
  const started = Date.now();
  await click(a.page);
  console.log(`# tab A acted ${Date.now() - started} ms after its click (tab B stalls 1500 ms)`);
  await clickB;
  for (const { page } of [a, b]) {
    await page.getByTestId('source-row').filter({ hasText: 'from tab a' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('source-row').filter({ hasText: 'from tab b' }).waitFor({ timeout: 10_000 });
  }
  // A third tab, loading from storage alone, sees both.
  const c = await openPage(context);
  await ready(c.page, '/ingest');
  await c.page.getByTestId('source-row').filter({ hasText: 'from tab a' }).waitFor({ timeout: 5_000 });
  await c.page.getByTestId('source-row').filter({ hasText: 'from tab b' }).waitFor({ timeout: 5_000 });
  const stored = JSON.stringify((await storedLog(c.page)).commands);
  assert.match(stored, /from tab a/);
  assert.match(stored, /from tab b/);
  assert.deepEqual([...a.errors, ...b.errors, ...c.errors], []);
  await context.close();
});

// Chromium serves localStorage from a per-tab copy that another tab's write reaches on its own
// channel, after the Web Lock may already have been granted to this tab. Simulated here in one
// tab (a second, idle, is open): the IndexedDB fence says another tab stored one more command than this tab's copy shows,
// and that command reaches this tab's localStorage only 400 ms after the click. The save waits
// for it (web/src/fence.rs) and stores its command after the other tab's; without the fence it
// would write the same revision first and one of the two commands would be lost.
test('a save waits for the last locked save to reach its copy of localStorage', async () => {
  const context = await browser.newContext();
  const { page, errors } = await openPage(context);
  await ready(page, '/ingest');
  // The fence is used when another tab is open (web/src/peers.rs): one is, idle.
  const other = await openPage(context);
  await ready(other.page, '/');
  await page.getByTestId('source-name').fill('first source');
  await page.getByTestId('source-add').click();
  await page.getByTestId('source-row').filter({ hasText: 'first source' }).waitFor();
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('brain.console.head'))?.revision >= 1);
  // What the other tab stored: this tab's last command again, for another source.
  const theirs = await page.evaluate(async () => {
    const head = JSON.parse(localStorage.getItem('brain.console.head'));
    const last = `brain.console.log.${head.epoch}.${Math.floor((head.revision - 1) / 256)}`;
    const chunk = JSON.parse(localStorage.getItem(last));
    const command = JSON.parse(JSON.stringify(chunk.at(-1)).replaceAll('first source', 'from another tab'));
    const revision = head.revision + 1;
    const their = { ...head, revision, chunks: Math.ceil(revision / 256), writer: 'tab-other' };
    const key = `brain.console.log.${head.epoch}.${Math.floor((revision - 1) / 256)}`;
    const value = JSON.stringify(key === last ? [...chunk, command] : [command]);
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('brain.console', 1);
      // As web/src/idb.rs creates it, should this test open it first.
      r.onupgradeneeded = () => r.result.createObjectStore('chunks');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    await new Promise((ok, fail) => {
      const tx = db.transaction('chunks', 'readwrite');
      tx.objectStore('chunks').put(JSON.stringify(their), 'brain.console.fence');
      tx.oncomplete = ok;
      tx.onerror = () => fail(tx.error);
    });
    db.close();
    return { head: their, key, value, revision: head.revision };
  });
  await page.getByTestId('source-name').fill('from this tab');
  await page.getByTestId('source-add').click();
  await page.waitForTimeout(400);
  const during = await page.evaluate(() => JSON.parse(localStorage.getItem('brain.console.head')).revision);
  assert.equal(during, theirs.revision, 'the save waited: nothing stored while the copy was stale');
  await page.evaluate(({ head, key, value }) => {
    localStorage.setItem(key, value);
    localStorage.setItem('brain.console.head', JSON.stringify(head));
  }, theirs);
  await page.waitForFunction((n) => JSON.parse(localStorage.getItem('brain.console.head'))?.revision === n, theirs.revision + 2);
  const stored = await storedLog(page);
  const sources = stored.commands.map((c) => c.source_id).filter(Boolean);
  assert.deepEqual(sources.slice(-2), ['from another tab', 'from this tab'], 'both commands, theirs first');
  for (const name of ['from another tab', 'from this tab']) {
    await page.getByTestId('source-row').filter({ hasText: name }).waitFor({ timeout: 5_000 });
  }
  assert.deepEqual(errors, []);
  await context.close();
});

// An action's save waits for the storage lock (and the save fence's IndexedDB read); until it
// runs, the command is kept in the tab's sessionStorage (web/src/unsaved.rs). Here another tab
// holds the lock while this tab acts and reloads: the reloaded tab shows the action at once,
// stores it when the lock is free, and stores it once.
test('a reload while the save waits for another tab keeps the action and stores it once', async () => {
  const context = await browser.newContext();
  const a = await openPage(context);
  const b = await openPage(context);
  await ready(a.page, '/ingest');
  await ready(b.page, '/ingest');
  await b.page.evaluate(() => {
    navigator.locks.request('brain.console.log', () => new Promise((release) => { window.releaseLock = release; }));
  });
  await until(a.page, async () => (await navigator.locks.query()).held.some((l) => l.name === 'brain.console.log'), null, {
    what: 'tab B to hold the storage lock',
  });
  await a.page.getByTestId('source-name').fill('kept over a reload');
  await a.page.getByTestId('source-add').click();
  await a.page.getByTestId('source-row').filter({ hasText: 'kept over a reload' }).waitFor();
  const inLocalStorage = () => Object.values(localStorage).some((v) => v.includes('kept over a reload'));
  assert.equal(await a.page.evaluate(inLocalStorage), false, 'not stored yet: tab B holds the lock');
  await a.page.reload();
  await a.page.getByTestId('source-row').filter({ hasText: 'kept over a reload' }).waitFor({ timeout: 5_000 });
  assert.equal(await a.page.evaluate(inLocalStorage), false, 'still waiting for the lock');
  await b.page.evaluate(() => window.releaseLock());
  const stored = await storedLog(a.page);
  const added = stored.commands.filter((c) => JSON.stringify(c).includes('kept over a reload'));
  assert.equal(added.length, 1, 'stored once');
  // Tab B follows the save; a third tab loads it from storage alone.
  await b.page.getByTestId('source-row').filter({ hasText: 'kept over a reload' }).waitFor({ timeout: 5_000 });
  const c = await openPage(context);
  await ready(c.page, '/ingest');
  await c.page.getByTestId('source-row').filter({ hasText: 'kept over a reload' }).waitFor({ timeout: 5_000 });
  // A second reload, the save done: nothing is run again.
  await a.page.reload();
  await a.page.getByTestId('source-row').filter({ hasText: 'kept over a reload' }).waitFor();
  assert.equal(await a.page.getByTestId('source-row').filter({ hasText: 'kept over a reload' }).count(), 1);
  assert.equal(await a.page.evaluate(() => sessionStorage.getItem('brain.console.unsaved')), null, 'nothing left unsaved');
  assert.equal((await storedLog(a.page)).commands.length, stored.commands.length);
  assert.deepEqual([...a.errors, ...b.errors, ...c.errors], []);
  await context.close();
});

async function loadDemo(page) {
  await ready(page);
  await page.getByTestId('load-demo').click();
  await page.getByTestId('toast').filter({ hasText: 'demo data loaded' }).waitFor();
}

async function auditCount(page) {
  const card = page.getByTestId('block-card').filter({ hasText: 'audit entries' });
  return Number((await card.locator('.figure').textContent()).trim());
}

/** Every copy of unreadable data kept aside, by key. */
function keptAside(page) {
  return page.evaluate(() => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith('brain.console.corrupt')).map((k) => [k, localStorage.getItem(k)])));
}

test('corruption twice: both unreadable copies are kept and offered for download', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page, errors } = await openPage(context);
  for (const marker of ['first-bad', 'second-bad']) {
    await loadDemo(page);
    const { head } = await storedLog(page);
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [`brain.console.log.${head.epoch}.0`, `[{"block":"ab","type":"${marker}"}]`]);
    await page.reload();
    await page.getByTestId('notice-corrupt').waitFor();
  }
  const kept = await keptAside(page);
  const values = Object.values(kept);
  assert.equal(values.length, 2, `two copies kept: ${Object.keys(kept)}`);
  assert.equal(values.filter((v) => v.includes('first-bad')).length, 1, 'the first corruption is still kept');
  assert.equal(values.filter((v) => v.includes('second-bad')).length, 1, 'the second corruption is kept');
  // The banner offers each copy: the newest first, then the earlier one.
  const downloads = [];
  for (const id of ['download-corrupt', 'download-corrupt-earlier']) {
    const buttons = page.getByTestId(id);
    for (let i = 0; i < (await buttons.count()); i++) {
      const [download] = await Promise.all([page.waitForEvent('download'), buttons.nth(i).click()]);
      downloads.push(await readFile(await download.path(), 'utf8'));
    }
  }
  assert.equal(downloads.length, 2);
  assert.match(downloads[0], /second-bad/);
  assert.match(downloads[1], /first-bad/);
  // The console still works and saves.
  await loadDemo(page);
  assert.ok((await auditCount(page)) > 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the browser witnesses the audit log: a stored history cut short is set aside, not loaded', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page, errors } = await openPage(context);
  await loadDemo(page);
  const entries = await auditCount(page);
  // Drop the last five commands the way a hand edit would: a shorter history that replays cleanly,
  // so only the tree head this browser accepted (brain.witness) can tell.
  await page.evaluate((headKey) => {
    const head = JSON.parse(localStorage.getItem(headKey));
    const commands = [];
    for (let n = 0; n < head.chunks; n++) commands.push(...JSON.parse(localStorage.getItem(`brain.console.log.${head.epoch}.${n}`)));
    const kept = commands.slice(0, -5);
    for (let n = 0; n < head.chunks; n++) localStorage.removeItem(`brain.console.log.${head.epoch}.${n}`);
    const chunks = Math.ceil(kept.length / 256);
    for (let n = 0; n < chunks; n++) localStorage.setItem(`brain.console.log.${head.epoch}.${n}`, JSON.stringify(kept.slice(n * 256, (n + 1) * 256)));
    localStorage.setItem(headKey, JSON.stringify({ ...head, revision: kept.length, chunks }));
  }, HEAD_KEY);
  await page.reload();
  const notice = page.getByTestId('notice-corrupt');
  await notice.waitFor();
  assert.match(await notice.textContent(), new RegExp(`does not extend the audit log this browser accepted last \\(${entries} entries`));
  // The edited history is kept aside, unchanged, for download; nothing of it was loaded.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-corrupt').first().click()]);
  assert.match(await readFile(await download.path(), 'utf8'), /brain\.console\.head/);
  assert.equal(await auditCount(page), 0);
  // Work goes on: what the console stores next is witnessed again, and a reload accepts it.
  await loadDemo(page);
  await page.reload();
  await page.getByTestId('overall-status').waitFor();
  assert.equal(await page.getByTestId('notice-corrupt').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a full quota on a normal save keeps the stored copy and says the change is not saved', async () => {
  const context = await browser.newContext();
  const { page } = await openPage(context);
  await loadDemo(page);
  const stored = await storedLog(page);
  const before = await auditCount(page);
  await page.goto(`${BASE_URL}/ingest`);
  await page.getByTestId('source-row').first().waitFor();
  // From now on the browser refuses every write beyond 2,000 more characters, as a full quota does
  // (removals still work, and do not give the space back: another site or tab holds it).
  await page.evaluate(() => {
    const { setItem } = Storage.prototype;
    let budget = 2000;
    Storage.prototype.setItem = function (k, v) {
      budget -= k.length + String(v).length;
      if (budget < 0) throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
      return setItem.call(this, k, v);
    };
  });
  await page.getByTestId('source-name').fill('does not fit');
  await page.getByTestId('source-add').click();
  await page.getByTestId('notice-full').waitFor({ timeout: 10_000 });
  // What was stored before the failed save is all still there, intact.
  const after = await storedLog(page);
  assert.deepEqual(after.head, stored.head);
  assert.deepEqual(after.commands, stored.commands);
  await ready(page);
  await page.getByTestId('block-cards').waitFor();
  assert.equal(await auditCount(page), before, 'the stored copy loads after the failed save');
  await context.close();
});
