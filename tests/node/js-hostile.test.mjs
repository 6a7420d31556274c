// Every exported function and method, every argument position, every value from a list of
// hostile JS values (wrong types, NaN, infinities, huge and negative numbers, lone surrogates,
// bigints, symbols, functions, cycles, invalid Dates, typed arrays, objects whose getters throw):
// a call either returns or throws an Error with a string `code`; it never traps ("unreachable"),
// never leaves the module unusable, and a refused command leaves the brain's state unchanged.
// Then every field of every demo command is replaced by each hostile value in turn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './js-pkg.mjs';

const bc = await load();

function hostileValues() {
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  const throwing = new Proxy({}, {
    get(_, key) {
      if (key === 'toJSON' || typeof key === 'symbol') return undefined;
      throw new Error('a getter threw');
    },
    ownKeys() {
      throw new Error('ownKeys threw');
    },
  });
  const getterThrows = {};
  Object.defineProperty(getterThrows, 'n', { enumerable: true, get() { throw new Error('n threw'); } });
  const toJsonThrows = { toJSON() { throw new Error('toJSON threw'); } };
  return [
    ['undefined', undefined], ['null', null], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity],
    ['-1', -1], ['0', 0], ['-0', -0], ['1.5', 1.5], ['1e308', 1e308], ['2^53+2', 2 ** 53 + 2], ['-2^63', -(2 ** 63)],
    ['""', ''], ['"x"', 'x'], ['long string', 'x'.repeat(100_000)], ['NUL', '\u0000'], ['lone surrogate', '\ud800'],
    ['true', true], ['[]', []], ['[NaN]', [NaN]], ['[1,"a"]', [1, 'a']], ['[[]]', [[]]], ['{}', {}],
    ['counts n<0', { n: -1, conversions: 0 }], ['counts conv>n', { n: 1, conversions: 2 }], ['counts NaN', { n: NaN, conversions: 0 }],
    ['invalid Date', new Date(NaN)], ['Date', new Date(0)], ['symbol', Symbol('s')], ['bigint', 10n], ['function', () => 1],
    ['cyclic', cyclic], ['null prototype', Object.create(null)], ['Float64Array NaN', new Float64Array([NaN, 1])],
    ['Int32Array', new Int32Array(3)], ['throwing proxy', throwing], ['throwing getter', getterThrows], ['throwing toJSON', toJsonThrows],
  ];
}
const HOSTILE = hostileValues();

/** The call returned, or threw an Error with a code; never a trap or a non-Error. */
function checkCall(what, fn) {
  try {
    fn();
    return 'returned';
  } catch (e) {
    assert.ok(e instanceof Error, `${what}: threw a non-Error ${String(e)}`);
    assert.ok(!(e instanceof WebAssembly.RuntimeError), `${what}: wasm trap: ${e.message}`);
    assert.ok(!/unreachable|recursive use of an object|null pointer passed to rust/i.test(e.message), `${what}: ${e.message}`);
    assert.equal(typeof e.code, 'string', `${what}: no code on ${e.message}`);
    assert.ok(e.message.length > 0, `${what}: empty message`);
    return e.code;
  }
}

/** The module still answers: a trap or a stuck borrow would break these. */
function stillWorks(brain) {
  assert.equal(bc.gbHash('seed', 'user-1', 1), bc.gbHash('seed', 'user-1', 1));
  assert.equal(typeof bc.gbHash('seed', 'user-1', 2), 'number');
  if (brain) assert.equal(typeof brain.stateHash(), 'string');
}

const EXP = { key: 'k', variations: 2 };
const A = { n: 100, conversions: 10 };
const B = { n: 100, conversions: 15 };
const FUNCTIONS = {
  gbHash: ['seed', 'user', 1],
  bucketRanges: [2, 1, [0.5, 0.5]],
  chooseVariation: [0.3, [[0, 0.5], [0.5, 1]]],
  assign: [EXP, 'user'],
  assignMany: [EXP, ['a', 'b']],
  proportionZTest: [A, B, 0.05],
  liftTTest: [A, B, 0.05],
  sequentialLiftTest: [A, B, 0.05, 5000],
  chanceToBeat: [A, B],
  srmPValue: [[100, 110], [0.5, 0.5]],
  adjustPValues: [[0.01, 0.04], 'holm'],
  sampleSizePerArm: [0.1, 0.02, 0.05, 0.8],
  detectableEffect: [0.1, 1000, 0.05, 0.8],
  ksTest: [[1, 2, 3], [2, 3, 4]],
  psi: [[1, 2, 3, 4], [2, 3, 4, 5], 10],
  rateInterval: [A, 0.05],
};

test('every function, every argument position, every hostile value: a result or a coded Error', () => {
  let calls = 0;
  const codes = new Set();
  for (const [name, valid] of Object.entries(FUNCTIONS)) {
    assert.equal(typeof bc[name], 'function', `${name} is exported`);
    checkCall(`${name}(valid)`, () => bc[name](...valid));
    for (let i = 0; i < valid.length; i++) {
      for (const [label, h] of HOSTILE) {
        const args = valid.slice();
        args[i] = h;
        codes.add(checkCall(`${name} argument ${i} = ${label}`, () => bc[name](...args)));
        calls++;
      }
    }
    stillWorks();
  }
  // Experiment: the constructor and each method.
  for (const [label, h] of HOSTILE) {
    codes.add(checkCall(`new Experiment(${label})`, () => new bc.Experiment(h).free()));
    const e = new bc.Experiment(EXP);
    for (const m of ['assign', 'variationOf', 'assignMany', 'assignUnits']) {
      codes.add(checkCall(`Experiment#${m}(${label})`, () => e[m](h, h)));
      calls++;
    }
    codes.add(checkCall(`Experiment#assignUnits(units, ${label})`, () => e.assignUnits(new Uint16Array([117, 49]), h)));
    codes.add(checkCall(`Experiment#assignUnits(${label}, lengths)`, () => e.assignUnits(h, new Uint32Array([2]))));
    assert.equal(e.assign('user').variationId, new bc.Experiment(EXP).assign('user').variationId);
    e.free();
  }
  stillWorks();
  assert.ok(calls > 1500, `${calls} calls`);
  assert.ok(codes.has('invalid_input'), [...codes].join(', '));
});

test('every Brain method with hostile arguments: a coded Error leaves the state as it was', () => {
  const brain = bc.Brain.demo('2026-03-02T09:00:00Z');
  const methods = ['alerts', 'allocation', 'auditQuery', 'decide', 'execute', 'executeAll', 'experiment', 'exportPacket', 'outcomes', 'renderTemplate', 'whatIf'];
  for (const m of methods) {
    for (const [label, h] of HOSTILE) {
      const before = brain.stateHash();
      const position = brain.position;
      const code = checkCall(`Brain#${m}(${label})`, () => brain[m](h, h));
      if (code !== 'returned') {
        assert.equal(brain.stateHash(), before, `Brain#${m}(${label}) refused (${code}) but changed the state`);
        assert.equal(brain.position, position);
      }
    }
    stillWorks(brain);
  }
  for (const [label, h] of HOSTILE) {
    checkCall(`new Brain(${label})`, () => new bc.Brain(h).free());
    checkCall(`Brain.fromJSON(${label})`, () => bc.Brain.fromJSON(h).free());
    checkCall(`Brain.demo(${label})`, () => bc.Brain.demo(h).free());
  }
  stillWorks(brain);
  brain.free();
});

/** Paths to every field of a command, one level into nested objects. */
function fieldPaths(cmd) {
  const paths = [];
  for (const [k, v] of Object.entries(cmd)) {
    paths.push([k]);
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const k2 of Object.keys(v)) paths.push([k, k2]);
  }
  return paths;
}

/** Fields that name or identify something: they follow the shared naming rule. */
const NAME_FIELDS = new Set(['experiment', 'variant', 'script', 'name', 'model_id', 'series_id', 'metric', 'outcome_id', 'clone_id', 'actor']);
function isName(cmd, path) {
  const field = path[path.length - 1];
  return NAME_FIELDS.has(field) || (cmd.block === 'ingest' && field === 'source');
}

function withField(cmd, path, value) {
  const copy = structuredClone(cmd);
  if (path.length === 1) copy[path[0]] = value;
  else copy[path[0]] = { ...copy[path[0]], [path[1]]: value };
  return copy;
}

test('every field of each kind of demo command replaced by each hostile value: accepted, or refused with the state unchanged', (t) => {
  const demo = bc.Brain.demo('2026-03-02T09:00:00Z');
  const commands = demo.log();
  demo.free();
  let refused = 0;
  let accepted = 0;
  const kinds = new Set();
  commands.forEach((cmd, k) => {
    const kind = `${cmd.block}.${cmd.type}`;
    if (kinds.has(kind)) return;
    kinds.add(kind);
    // The demo up to this command, so that what the command refers to exists.
    const brain = new bc.Brain();
    brain.executeAll(commands.slice(0, k));
    // Later than every demo command, and increasing, so that a refusal is about the field.
    let t = Date.parse('2030-01-01T00:00:00Z');
    let hash = brain.stateHash();
    for (const path of fieldPaths(cmd)) {
      for (const [label, h] of HOSTILE) {
        const mutated = withField(cmd, path, h);
        if (path[0] !== 'at') mutated.at = new Date((t += 1000)).toISOString();
        const position = brain.position;
        const code = checkCall(`${kind} ${path.join('.')} = ${label}`, () => brain.execute(mutated));
        if (code === 'returned') {
          assert.ok(!(isName(cmd, path) && (label === 'NUL' || label === 'long string')),
            `${kind} ${path.join('.')} = ${label} was accepted: names and ids are at most 200 characters, without control characters`);
          accepted++;
          if (process.env.HOSTILE_LIST) console.log(`accepted: ${kind} ${path.join('.')} = ${label}`);
          hash = brain.stateHash();
        } else {
          refused++;
          assert.equal(brain.stateHash(), hash, `${kind} ${path.join('.')} = ${label} refused (${code}) but changed the state`);
          assert.equal(brain.position, position);
        }
      }
    }
    stillWorks(brain);
    const report = brain.verify();
    assert.notEqual(report.status, 'fail', `${kind}: ${JSON.stringify(report.checks.filter((c) => c.status === 'fail'))}`);
    brain.free();
  });
  assert.ok(kinds.size >= 15, `${kinds.size} kinds of command`);
  assert.ok(refused > 1000 && accepted > 0, `refused ${refused}, accepted ${accepted}`);
  t.diagnostic(`${kinds.size} kinds of command; ${refused} refused, ${accepted} accepted`);
});

/** What a call gave: its events, or its error's code, message and index. */
function outcome(fn) {
  try {
    return { events: fn() };
  } catch (e) {
    return { code: e.code, message: e.message, index: e.index };
  }
}

test('executeAll reads each command as execute does: the same events, or the same error naming commands[i] with its index', () => {
  // executeAll reads an ordinary batch in one JSON text and goes back to reading command by
  // command for anything else; either way the result is execute's, command for command.
  const demo = bc.Brain.demo('2026-03-02T09:00:00Z');
  const commands = demo.log();
  demo.free();
  const kinds = new Set();
  let compared = 0;
  commands.forEach((cmd, k) => {
    const kind = `${cmd.block}.${cmd.type}`;
    if (kinds.has(kind)) return;
    kinds.add(kind);
    const one = new bc.Brain();
    const all = new bc.Brain();
    one.executeAll(commands.slice(0, k));
    all.executeAll(commands.slice(0, k));
    let t = Date.parse('2030-01-01T00:00:00Z');
    for (const path of fieldPaths(cmd)) {
      for (const [label, h] of [...HOSTILE, ['Date at', new Date(t)]]) {
        const mutated = withField(cmd, path, h);
        if (path[0] !== 'at') mutated.at = new Date((t += 1000)).toISOString();
        // The command second in its batch, after one that is always accepted.
        const first = { at: new Date((t += 1000)).toISOString(), block: 'ab', type: 'RegisterVariant', experiment: `e${t}`, variant: 'a', kind: 'channel', weight: 1 };
        const a = outcome(() => [one.execute(first), one.execute(mutated)]);
        const b = outcome(() => all.executeAll([first, mutated]));
        const what = `${kind} ${path.join('.')} = ${label}`;
        if (a.events) {
          assert.deepEqual(b.events, a.events.flat(), what);
        } else {
          assert.equal(b.code, a.code, what);
          assert.equal(b.index, 1, what);
          assert.equal(b.message, a.message.replace(/^command(?=[.:\[ ])/, 'commands[1]'), what);
          // execute applied the first command; the batch applied nothing.
          all.execute(first);
        }
        assert.equal(all.stateHash(), one.stateHash(), what);
        compared++;
      }
    }
    one.free();
    all.free();
  });
  assert.ok(compared > 1000, `${compared} batches compared`);
});

/** Paths to the leaves (numbers, strings, booleans) of a JSON value. */
function leaves(value, path = [], out = []) {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  } else {
    out.push(path);
  }
  return out;
}

function setAt(root, path, value) {
  const copy = structuredClone(root);
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path[path.length - 1]] = value;
  return copy;
}

test('a snapshot with any one value of its state or logs changed: refused with a code, or loaded and every query answers', (t) => {
  const demo = bc.Brain.demo('2026-03-02T09:00:00Z');
  const snapshot = demo.toJSON();
  demo.free();
  const all = leaves(snapshot);
  // About 250 leaves spread over the state and the logs (every n-th, so that each part of the
  // state is reached; the logs repeat the same shapes). All of them take about 2 minutes.
  const state = all.filter((p) => p[0] === 'state');
  const rest = all.filter((p) => p[0] !== 'state');
  const every = (list, n) => list.filter((_, i) => i % n === 0);
  const paths = [...every(state, Math.ceil(state.length / 180)), ...every(rest, Math.ceil(rest.length / 70))];
  const replacements = [['-1', -1], ['0', 0], ['1e300', 1e300], ['""', ''], ['"x"', 'x'], ['null', null], ['true', true], ['[]', []]];
  let loaded = 0;
  let refused = 0;
  const at = '2031-01-01T00:00:00Z';
  for (const path of paths) {
    for (const [label, v] of replacements) {
      const what = `${path.join('.')} = ${label}`;
      let brain;
      const code = checkCall(`fromJSON(${what})`, () => { brain = bc.Brain.fromJSON(setAt(snapshot, path, v)); });
      if (code !== 'returned') {
        refused++;
        continue;
      }
      loaded++;
      for (const q of ['experiments', 'scripts', 'packets', 'sources', 'trends', 'models', 'clones', 'gateDecisions', 'alerts', 'auditQuery', 'events', 'log', 'policy', 'verify', 'stateHash', 'toJSON', 'exportPackets', 'auditExport']) {
        checkCall(`${what}: ${q}()`, () => brain[q]());
      }
      checkCall(`${what}: verifyAudit()`, () => brain.verifyAudit());
      checkCall(`${what}: execute`, () => brain.execute({ at, block: 'ab', type: 'RecordCounts', experiment: 'opening-script', variant: 'warm-open', trials: 10, conversions: 1 }));
      checkCall(`${what}: whatIf`, () => brain.whatIf({ readiness: { ready_threshold: 0.7 } }));
      stillWorks(brain);
      brain.free();
    }
  }
  t.diagnostic(`${paths.length} values changed 8 ways each: ${refused} snapshots refused, ${loaded} loaded and queried`);
  assert.ok(refused > 0 && loaded > 0);
});
