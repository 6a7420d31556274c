// Writes comment-free copies of hand-written ES modules into a built directory, the copies the
// package ships (scripts/build-js.sh: js/lite.js, js/inputs.js and js/assign-fast.js into
// js/pkg-lite/, beside the wasm-bindgen glue they import). The sources keep their comments for
// the next reader; a page that buckets users downloads the copies, 2.1 KB gzip less.
//
// Usage: node scripts/ship-js.mjs OUT_DIR FILE...
//
// Each file is parsed with TypeScript's parser (the root's devDependency), which knows a regex
// from a division and a template literal from code, and rebuilt token by token: every token's
// text is copied as it is, and only the whitespace and comments between tokens change (comments
// dropped; a gap that held a line break keeps one, so automatic semicolons stay where they were;
// a gap that held only a comment keeps a space). Nothing else is minified: the copies stay
// readable. A relative import is re-pointed from the source's directory to OUT_DIR: to the copy
// of a module copied in the same run, or to a file inside OUT_DIR; any other import fails the
// build, since the copy could not reach it. Each copy is parsed again and its tokens compared
// with the source's, so a copy that would run differently is never written.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';

const ts = createRequire(import.meta.url)('typescript');

const [outDir, ...inputs] = process.argv.slice(2);
if (!outDir || inputs.length === 0) {
  console.error('usage: node scripts/ship-js.mjs OUT_DIR FILE...');
  process.exit(2);
}
const out = resolve(outDir);
const copied = new Set(inputs.map((f) => resolve(f)));

/** The tokens of a parsed file in order (JSDoc nodes are comments, not code). */
function tokens(file) {
  const list = [];
  const visit = (node) => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode) return;
    const children = node.getChildren(file);
    if (children.length === 0) list.push(node);
    else children.forEach(visit);
  };
  visit(file);
  return list;
}

function parse(name, text) {
  return ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
}

/** The specifier a copy in OUT_DIR uses for `spec`, imported by the source `from`. */
function repoint(from, spec) {
  if (!spec.startsWith('.')) return spec;
  const target = resolve(dirname(from), spec);
  if (copied.has(target)) return `./${basename(target)}`;
  if (target.startsWith(out + sep)) return `./${relative(out, target).split(sep).join('/')}`;
  throw new Error(`${from} imports ${spec}, which is neither copied nor inside ${out}`);
}

/** The module specifiers of a file's imports and re-exports, as their string tokens. */
function specifiers(file) {
  const set = new Set();
  for (const s of file.statements) {
    if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier) set.add(s.moduleSpecifier);
  }
  return set;
}

/** Whitespace and comments before a token, as the copy writes them. */
function gap(trivia) {
  if (trivia === '') return '';
  // The scanner's own view of the gap: comments are the ranges it reports.
  let code = '';
  let at = 0;
  const ranges = [...(ts.getLeadingCommentRanges(trivia, 0) ?? [])];
  for (const r of ranges) {
    code += trivia.slice(at, r.pos);
    at = r.end;
  }
  code += trivia.slice(at);
  if (trivia.includes('\n')) return `\n${code.slice(code.lastIndexOf('\n') + 1)}`;
  return code === '' ? ' ' : code;
}

for (const input of inputs) {
  const source = resolve(input);
  const text = readFileSync(source, 'utf8');
  const file = parse(source, text);
  const specs = specifiers(file);
  const want = [];
  let copy = '';
  for (const token of tokens(file)) {
    const start = token.getStart(file);
    let word = text.slice(start, token.end);
    if (specs.has(token)) {
      const quote = word[0];
      word = `${quote}${repoint(source, token.text)}${quote}`;
    }
    copy += gap(text.slice(token.pos, start)) + word;
    want.push(word);
  }
  copy = `${copy.replace(/^\n/, '')}\n`;
  const check = parse(source, copy);
  const got = tokens(check).map((t) => copy.slice(t.getStart(check), t.end));
  if (check.parseDiagnostics?.length || got.length !== want.length || got.some((t, i) => t !== want[i])) {
    throw new Error(`${input}: the comment-free copy does not have the source's tokens`);
  }
  writeFileSync(join(out, basename(source)), copy);
}
