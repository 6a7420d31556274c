// Continuous monitoring from JS, where the app owns the clock: runDueChecks(at) on a timer,
// schedule(), notifications({ since }) to forward, markRead(ids, at), report(kind, at) and
// reportMarkdown(kind, at), and their errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load, thrown } from './js-pkg.mjs';

const bc = await load();
const T0 = '2026-03-02T09:00:00Z';
const HOUR = 3600_000;

/** The demo, and the time of its last command. */
function demo() {
  const brain = bc.Brain.demo(T0);
  const last = new Date(brain.log().at(-1).at).getTime();
  return { brain, last };
}

test('a day later runDueChecks runs every due check once, and again at the same time nothing', () => {
  const { brain, last } = demo();
  const before = brain.schedule();
  assert.deepEqual(before.map((r) => r.check), ['drift', 'thresholds', 'ab_evaluation', 'health', 'weekly_report']);
  assert.deepEqual(before.map((r) => r.everyMinutes), [60, 60, 360, 1440, 10080]);
  const drift = before[0];
  assert.equal(new Date(drift.nextRun).getTime() - new Date(drift.lastRun).getTime(), HOUR);

  const at = new Date(last + 25 * HOUR);
  const events = brain.runDueChecks(at);
  const ran = events.filter((e) => e.type === 'CheckRan');
  assert.deepEqual(ran.map((e) => e.check), ['drift', 'thresholds', 'ab_evaluation', 'health']);
  // Each check runs once; the slots of its cadence the gap held before the last are skipped.
  const slots = (row) => Math.floor((at.getTime() - new Date(row.lastRun).getTime()) / (row.everyMinutes * 60_000));
  assert.deepEqual(ran.map((e) => e.skipped), before.slice(0, 4).map((r) => slots(r) - 1));
  assert.ok(ran[0].skipped >= 24, 'over a day of hourly runs skipped');
  const after = brain.schedule();
  assert.equal(new Date(after[0].lastRun).getTime(), at.getTime());
  assert.equal(after[0].skipped, before[0].skipped + ran[0].skipped);

  const hash = brain.stateHash();
  assert.deepEqual(brain.runDueChecks(at), [], 'nothing due: no events');
  assert.deepEqual(brain.runDueChecks(at.toISOString()), [], 'a string time too');
  assert.equal(brain.stateHash(), hash, 'and the state unchanged');
  brain.free();
});

test('notifications({ since }) gives what to forward, markRead marks it, report says what happened', () => {
  const { brain, last } = demo();
  const at = new Date(last + 25 * HOUR);
  brain.runDueChecks(at);
  const fresh = brain.notifications({ since: at });
  assert.ok(fresh.length >= 1);
  assert.ok(fresh.every((n) => new Date(n.at).getTime() >= at.getTime() && n.read === false));
  const report = fresh.find((n) => n.kind === 'report');
  assert.equal(report.title, 'daily report due');
  assert.ok(brain.notifications().length > fresh.length, 'without since: the whole inbox');

  const events = brain.markRead([report.notificationId], at);
  assert.deepEqual(events.map((e) => e.type), ['NotificationsRead', 'EntryAppended'], 'and its audit entry');
  assert.equal(brain.notifications({ since: at }).find((n) => n.notificationId === report.notificationId).read, true);
  assert.equal(brain.log().at(-1).type, 'MarkRead', 'an ordinary command in the log');

  assert.equal(thrown(() => brain.markRead(['nope'], at)).code, 'unknown_notification');
  assert.equal(thrown(() => brain.markRead([], at)).code, 'no_notifications');
  assert.equal(thrown(() => brain.markRead('nope', at)).code, 'invalid_input');
  assert.equal(thrown(() => brain.notifications({ since: 'yesterday' })).code, 'invalid_input');

  const daily = brain.report('daily', at);
  assert.equal(daily.kind, 'daily');
  assert.equal(new Date(daily.to).getTime(), at.getTime());
  assert.equal(new Date(daily.from).getTime(), at.getTime() - 24 * HOUR);
  const md = brain.reportMarkdown('daily', at);
  assert.match(md, /^# /);
  assert.equal(brain.reportMarkdown('daily', at), md, 'deterministic');
  assert.equal(thrown(() => brain.report('monthly', at)).code, 'invalid_input');
  brain.free();
});
