// The package's TypeScript declarations: tests/node/types/usage.ts (commands of several blocks,
// events and reports read through their types, and `@ts-expect-error` lines that must fail)
// compiles with the TypeScript compiler in strict mode and runs against the built package; the
// real output of the demo brain (snapshot, every report) type-checks as the declared types; the
// generated declarations hold no `any`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { PKG, LITE_PKG, ROOT, load } from './js-pkg.mjs';

const bc = await load();
const USAGE = join(ROOT, 'tests', 'node', 'types', 'usage.ts');

const OPTIONS = {
  strict: true,
  noEmit: true,
  skipLibCheck: false, // the package's .d.ts files are checked too
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  // esnext.disposable: wasm-bindgen's classes declare [Symbol.dispose]().
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
  types: [],
};

/** Type-checks `files` ({ path: text }, virtual files next to usage.ts) plus usage.ts. */
function typecheck(files = {}) {
  const host = ts.createCompilerHost(OPTIONS);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => f in files || fileExists.call(host, f);
  host.readFile = (f) => (f in files ? files[f] : readFile.call(host, f));
  host.getSourceFile = (f, lang, ...rest) =>
    f in files ? ts.createSourceFile(f, files[f], lang, true) : getSourceFile.call(host, f, lang, ...rest);
  const program = ts.createProgram([USAGE, ...Object.keys(files)], OPTIONS, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file) return text;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${d.file.fileName}:${line + 1}: ${text}`;
  });
}

/** Code without its comments (doc comments may say "any"). */
const code = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

test('usage.ts type-checks in strict mode, and each @ts-expect-error line fails', () => {
  const diagnostics = typecheck();
  assert.deepEqual(diagnostics, [], diagnostics.join('\n'));
  // Unused directives are errors themselves, so every marked line failed; make sure they are there.
  const expected = readFileSync(USAGE, 'utf8').match(/@ts-expect-error/g) ?? [];
  assert.ok(expected.length >= 12, `${expected.length} @ts-expect-error lines`);
});

test('usage.ts runs against the package: the fields its types promise are there', async () => {
  const { outputText } = ts.transpileModule(readFileSync(USAGE, 'utf8'), {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
  });
  assert.doesNotMatch(outputText, /^import /m, 'usage.ts imports types only');
  const dir = mkdtempSync(join(tmpdir(), 'brain-types-'));
  try {
    const file = join(dir, 'usage.mjs');
    writeFileSync(file, outputText);
    const usage = await import(pathToFileURL(file).href);
    const failed = [];
    usage.run(bc, (ok, what) => ok || failed.push(what));
    assert.deepEqual(failed, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the real output of every query type-checks as its declared type', () => {
  const brain = bc.Brain.demo('2026-03-02T09:00:00Z');
  // The demo sets no policy: add the policy block's events.
  brain.execute({ at: '2027-01-01T00:00:00Z', block: 'policy', type: 'SetPolicy', policy: brain.policy() });
  brain.execute({ at: '2027-01-01T00:01:00Z', block: 'policy', type: 'SetSeed', seed: 11 });
  const series = brain.trends().map((t) => t.seriesId);
  const outputs = {
    snapshot: ['Snapshot', brain.toJSON()],
    events: ['BrainEvent[]', brain.events()],
    log: ['Command[]', brain.log()],
    policy: ['Policy', brain.policy()],
    experiments: ['ExperimentReport[]', brain.experiments()],
    scripts: ['ScriptReport[]', brain.scripts()],
    packets: ['Packet[]', brain.packets()],
    sources: ['SourceReport[]', brain.sources()],
    trends: ['TrendReport[]', brain.trends()],
    outcomes: ['Outcome[]', series.flatMap((s) => brain.outcomes(s))],
    alerts: ['Alert[]', brain.alerts()],
    models: ['ModelReport[]', brain.models()],
    clones: ['CloneSummary[]', brain.clones()],
    rollouts: ['RolloutReport[]', brain.rollouts()],
    routePlan: ['RoutePlan', brain.routePlan('churn-predictor')],
    gates: ['GateDecision[]', brain.gateDecisions()],
    audit: ['AuditEntry[]', brain.auditQuery()],
    verify: ['VerifyReport', brain.verify()],
    whatIf: ['WhatIfReport', brain.whatIf({ readiness: { ready_threshold: 0.95 }, promotion: { min_sample: 50 } })],
  };
  brain.free();
  // Every block's events are in the demo, so every event type is checked against the real JSON.
  const blocks = new Set(outputs.events[1].map((e) => e.block));
  assert.equal(blocks.size, 12, [...blocks].join());
  assert.ok(outputs.whatIf[1].differences.length > 0, 'the what-if differs somewhere');
  const names = [...new Set(Object.values(outputs).map(([type]) => type.replace('[]', '')))];
  // Object literals get excess-property checks: a field the types lack fails, as does a missing one.
  const text = `import type { ${names.join(', ')} } from '@brain/core';\n` +
    Object.entries(outputs).map(([name, [type, value]]) => `export const ${name}: ${type} = ${JSON.stringify(value)};`).join('\n');
  const file = join(ROOT, 'tests', 'node', 'types', 'demo-output.ts');
  const diagnostics = typecheck({ [file]: text });
  assert.deepEqual(diagnostics.slice(0, 10), [], diagnostics.slice(0, 10).join('\n'));
});

test('the TypeScript example of js/README.md type-checks', () => {
  const readme = readFileSync(join(ROOT, 'js', 'README.md'), 'utf8');
  const example = readme.match(/## Types\n[\s\S]*?```ts\n([\s\S]*?)```/)?.[1];
  assert.ok(example, 'no TypeScript example in js/README.md');
  const file = join(ROOT, 'tests', 'node', 'types', 'readme-example.ts');
  const diagnostics = typecheck({ [file]: example });
  assert.deepEqual(diagnostics, [], diagnostics.join('\n'));
});

test('the declarations hold no any, and the Brain API names its types', () => {
  const generated = readFileSync(join(ROOT, 'js', 'types.d.ts'), 'utf8');
  assert.doesNotMatch(code(generated), /\b(any|bigint|unknown)\b/);
  const dts = readFileSync(join(PKG, 'brain_core.d.ts'), 'utf8');
  // The package's declarations include the generated file as it is.
  assert.ok(dts.includes('export type Command = {') && dts.includes('export type BrainEvent = '), 'generated types in brain_core.d.ts');
  const api = code(dts.split('export type InitInput')[0]);
  assert.doesNotMatch(api, /\bany\b/);
  assert.doesNotMatch(api, /export type \w+ = Report;/, 'a report typed as the loose Report');
  assert.match(api, /execute\(command: Command \| string\): BrainEvent\[\];/);
  assert.match(api, /executeAll\(commands: readonly Command\[\]\): BrainEvent\[\];/);
  assert.match(api, /experiments\(\): ExperimentReport\[\];/);
  assert.match(api, /outcomes\(seriesId: string\): Outcome\[\];/);
  assert.match(api, /alerts\(filter\?: AlertFilter\): Alert\[\];/);
  assert.match(api, /whatIf\(policy: PolicyInput\): WhatIfReport;/);
  assert.match(api, /toJSON\(\): Snapshot;/);
});

test('@brain/core/lite has its declarations: assignment and statistics type-check, Brain is not there', () => {
  const file = join(ROOT, 'tests', 'node', 'types', 'lite-usage.ts');
  const text = `import init, { initSync, Experiment, proportionZTest, adjustPValues, type ZTest, type Assignment } from '@brain/core/lite';
// @ts-expect-error the lite entry has no engine
import { Brain } from '@brain/core/lite';
await init();
const z: ZTest = proportionZTest({ n: 10, conversions: 1 }, { n: 10, conversions: 2 });
const a: Assignment = new Experiment({ key: 'k', variations: 2 }).assign('u');
const p: number[] = adjustPValues([0.01, 0.2], 'holm');
// @ts-expect-error "holm" or "bh" only
adjustPValues([0.01], 'bonferroni');
export { z, a, p, initSync, Brain };
`;
  const diagnostics = typecheck({ [file]: text });
  assert.deepEqual(diagnostics, [], diagnostics.join('\n'));
  const lite = readFileSync(join(LITE_PKG, 'brain_core_lite.d.ts'), 'utf8');
  assert.doesNotMatch(code(lite.split('export type InitInput')[0]), /\bany\b/);
});
