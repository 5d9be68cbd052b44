/**
 * The layering of docs/architecture.md, checked: the table `| path | what it is | may import |` is parsed
 * (so the doc and the check cannot drift) and every import in source/ is held to its file's row.
 *
 * The "may import" column is a comma-separated list of layer names (the last segment of another row's path:
 * `snapshot` for `source/snapshot.ts`, `kafka` for `source/kafka/`), each optionally `(types)`: only
 * `import type` / `export type` from that layer (an `import { type X }` still loads the module under
 * verbatimModuleSyntax, so it counts as a run-time import). `nothing` and `everything` stand alone. A layer
 * may always import itself.
 *
 * Imports are read with a small tokenizer (comments, strings, templates and regular expressions skipped), not
 * a TypeScript parser: TypeScript 7 has no stable JavaScript API. Strings end at a line's end, so a quote in JSX
 * text (`<Text>it's</Text>`) can hide at most the rest of that line.
 */
import { posix } from 'node:path';

export interface LayerRule {
  /** `source/kafka/` (a folder: everything under it) or `source/snapshot.ts` (one file). */
  path: string;
  /** The name other rows use for it: `kafka`, `snapshot`. */
  name: string;
  everything: boolean;
  /** Layer name → only type imports allowed. */
  allowed: Map<string, { typesOnly: boolean }>;
}

export interface SourceFile {
  /** Relative to the repository root, with forward slashes: `source/model/model.ts`. */
  path: string;
  text: string;
}

export interface ImportRef {
  specifier: string;
  /** `import type` / `export type` (or `typeof import('…')`): erased at run time. */
  typeOnly: boolean;
  kind: 'import' | 'export' | 'dynamic';
  line: number;
}

/** Packages that only one layer may import. */
export const PACKAGE_HOMES: Record<string, string> = {
  kafkajs: 'kafka',
  ink: 'ui',
  react: 'ui',
  'ink-testing-library': 'ui',
};

/** Node built-ins that do I/O: the model is pure and imports none of them. */
export const IO_BUILTINS = new Set([
  'fs',
  'net',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'dns',
  'tls',
  'readline',
  'worker_threads',
  'cluster',
]);
export const PURE_LAYERS = new Set(['model']);

const TABLE_HEADER = /^\|\s*path\s*\|\s*what it is\s*\|\s*may import\s*\|\s*$/;

function cells(line: string): string[] {
  const parts = line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|');
  return parts.map((p) => p.trim());
}

/** The layer table of docs/architecture.md. Throws on anything it cannot read unambiguously. */
export function parseArchitectureTable(markdown: string): LayerRule[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => TABLE_HEADER.test(l));
  if (start < 0) throw new Error('docs/architecture.md: no `| path | what it is | may import |` table');
  const rows: Array<{ path: string; mayImport: string; line: number }> = [];
  for (let i = start + 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++) {
    const row = cells(lines[i]!);
    const path = /^`(source\/[^`]+)`$/.exec(row[0] ?? '')?.[1];
    if (!path || !/^source\/([a-z-]+\/|[a-z-]+\.tsx?)$/.test(path)) {
      throw new Error(
        `docs/architecture.md:${i + 1}: the first column must be one path in backticks, a folder ` +
          `(\`source/kafka/\`) or a file at the root of source/ (\`source/snapshot.ts\`); got ${row[0]}`,
      );
    }
    rows.push({ path, mayImport: row.at(-1) ?? '', line: i + 1 });
  }
  const nameOf = (path: string) =>
    path
      .replace(/^source\//, '')
      .replace(/\/$/, '')
      .replace(/\.tsx?$/, '');
  const names = new Set(rows.map((r) => nameOf(r.path)));
  return rows.map(({ path, mayImport, line }) => {
    const where = `docs/architecture.md:${line} (${path})`;
    const rule: LayerRule = { path, name: nameOf(path), everything: false, allowed: new Map() };
    const items = mayImport.split(',').map((s) => s.trim());
    if (items.length === 1 && items[0] === 'nothing') return rule;
    if (items.length === 1 && items[0] === 'everything') return { ...rule, everything: true };
    for (const item of items) {
      const match = /^([a-z-]+)( \(types\))?$/.exec(item);
      if (!match || !names.has(match[1]!)) {
        throw new Error(
          `${where}: "may import" must be \`nothing\`, \`everything\` or layer names (${[...names].join(', ')}), ` +
            `each optionally followed by \` (types)\`; cannot read "${item}"`,
        );
      }
      rule.allowed.set(match[1]!, { typesOnly: match[2] !== undefined });
    }
    return rule;
  });
}

interface Token {
  kind: 'word' | 'string' | 'punct' | 'number' | 'template' | 'regex';
  value: string;
  line: number;
}

/** Words after which a `/` starts a regular expression, not a division. */
const BEFORE_EXPRESSION = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'instanceof',
  'new',
  'delete',
  'void',
  'throw',
  'yield',
  'await',
  'of',
]);

const WORD = /[\w$]+/y;
const NUMBER = /[\w.]+/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  // Open template literals: how many `{` deep the code of each `${` is.
  const templates: number[] = [];
  const push = (kind: Token['kind'], value: string, at = line) => tokens.push({ kind, value, line: at });

  // Scans template text from i (just after ` or }) to the closing ` or the next `${`.
  const templateText = () => {
    const at = line;
    let value = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\\') {
        value += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === '`') {
        i++;
        push('template', value, at);
        return;
      }
      if (c === '$' && text[i + 1] === '{') {
        i += 2;
        templates.push(0);
        push('template', value, at);
        return;
      }
      if (c === '\n') line++;
      value += c;
      i++;
    }
  };

  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop;
    } else if (c === "'" || c === '"') {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c && text[i] !== '\n') {
        if (text[i] === '\\') i++;
        value += text[i] ?? '';
        i++;
      }
      i++;
      push('string', value);
    } else if (c === '`') {
      i++;
      templateText();
    } else if (c === '{' && templates.length > 0) {
      templates[templates.length - 1]!++;
      push('punct', c);
      i++;
    } else if (c === '}' && templates.length > 0 && templates.at(-1) === 0) {
      templates.pop();
      i++;
      templateText();
    } else if (c === '}' && templates.length > 0) {
      templates[templates.length - 1]!--;
      push('punct', c);
      i++;
    } else if (/[A-Za-z_$]/.test(c)) {
      WORD.lastIndex = i;
      const word = WORD.exec(text)![0];
      push('word', word);
      i += word.length;
    } else if (/\d/.test(c)) {
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text)![0];
      push('number', number);
      i += number.length;
    } else if (c === '/') {
      const prev = tokens.at(-1);
      const division =
        prev !== undefined &&
        ((prev.kind === 'word' && !BEFORE_EXPRESSION.has(prev.value)) ||
          prev.kind === 'number' ||
          prev.kind === 'string' ||
          prev.kind === 'template' ||
          prev.kind === 'regex' ||
          (prev.kind === 'punct' && [')', ']', '}', '<'].includes(prev.value))); // `<` `/`: a JSX closing tag
      if (division) {
        push('punct', c);
        i++;
        continue;
      }
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== '\n') {
        if (text[j] === '\\') j++;
        else if (text[j] === '[') inClass = true;
        else if (text[j] === ']') inClass = false;
        else if (text[j] === '/' && !inClass) break;
        j++;
      }
      if (text[j] !== '/') {
        // Not a regular expression after all (no closing slash on the line): a lone `/`.
        push('punct', c);
        i++;
        continue;
      }
      j++;
      while (j < text.length && /[a-z]/.test(text[j]!)) j++;
      push('regex', text.slice(i, j));
      i = j;
    } else {
      push('punct', c);
      i++;
    }
  }
  return tokens;
}

const isPunct = (t: Token | undefined, value: string) => t?.kind === 'punct' && t.value === value;
const isWord = (t: Token | undefined, value: string) => t?.kind === 'word' && t.value === value;
/** A string or a template literal without substitutions. */
const literal = (t: Token | undefined, after: Token | undefined) =>
  t?.kind === 'string' || (t?.kind === 'template' && (isPunct(after, ')') || isPunct(after, ',')))
    ? t.value
    : null;

/** Every module specifier a file names: static imports, re-exports and `import('…')` with a literal. */
export function extractImports(text: string): ImportRef[] {
  const tokens = tokenize(text);
  const found: ImportRef[] = [];
  // From `from` onwards at brace depth 0, before the statement ends: the specifier of `import … from '…'`.
  const fromClause = (start: number): string | null => {
    let depth = 0;
    for (let j = start; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (isPunct(t, '{')) depth++;
      else if (isPunct(t, '}')) depth--;
      else if (depth === 0 && isPunct(t, ';')) return null;
      else if (depth === 0 && isWord(t, 'from') && tokens[j + 1]?.kind === 'string')
        return tokens[j + 1]!.value;
      else if (depth === 0 && j > start && (isWord(t, 'import') || isWord(t, 'export'))) return null;
    }
    return null;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    if (t.kind !== 'word' || isPunct(prev, '.')) continue;
    const next = tokens[i + 1];
    if (t.value === 'import') {
      if (isPunct(next, '(')) {
        const specifier = literal(tokens[i + 2], tokens[i + 3]);
        if (specifier !== null) {
          found.push({ specifier, typeOnly: isWord(prev, 'typeof'), kind: 'dynamic', line: t.line });
        }
      } else if (isPunct(next, '.')) {
        // import.meta
      } else if (next?.kind === 'string') {
        found.push({ specifier: next.value, typeOnly: false, kind: 'import', line: t.line });
      } else {
        const after = tokens[i + 2];
        const typeOnly =
          isWord(next, 'type') &&
          (isPunct(after, '{') || isPunct(after, '*') || (after?.kind === 'word' && after.value !== 'from'));
        const specifier = fromClause(i + 1);
        if (specifier !== null) found.push({ specifier, typeOnly, kind: 'import', line: t.line });
      }
    } else if (t.value === 'export') {
      const typeOnly = isWord(next, 'type') && (isPunct(tokens[i + 2], '{') || isPunct(tokens[i + 2], '*'));
      const head = tokens[typeOnly ? i + 2 : i + 1];
      if (isPunct(head, '{') || isPunct(head, '*')) {
        const specifier = fromClause(typeOnly ? i + 2 : i + 1);
        if (specifier !== null) found.push({ specifier, typeOnly, kind: 'export', line: t.line });
      }
    }
  }
  return found;
}

/** `@scope/name/sub` → `@scope/name`, `react/jsx-runtime` → `react`, `node:fs/promises` → `node:fs`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function layerOf(rules: readonly LayerRule[], path: string): LayerRule | undefined {
  const withoutExtension = path.replace(/\.(js|jsx|ts|tsx|mjs|cjs)$/, '');
  let best: LayerRule | undefined;
  for (const rule of rules) {
    const matches = rule.path.endsWith('/')
      ? path.startsWith(rule.path)
      : withoutExtension === rule.path.replace(/\.tsx?$/, '');
    if (matches && (!best || rule.path.length > best.path.length)) best = rule;
  }
  return best;
}

const DOC = 'docs/architecture.md';

/** Every way `files` break the table's rules, one message each; empty when they keep them. */
export function checkArchitecture(rules: readonly LayerRule[], files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const rule of rules) {
    const covers = files.some((f) => layerOf([rule], f.path) === rule);
    if (!covers) violations.push(`${DOC}: the row for ${rule.path} matches no file under source/`);
  }
  for (const file of files) {
    const own = layerOf(rules, file.path);
    if (!own) {
      violations.push(
        `${file.path}: has no row in ${DOC} (add one, or put the file in a folder that has one)`,
      );
      continue;
    }
    for (const ref of extractImports(file.text)) {
      const at = `${file.path}:${ref.line}`;
      const { specifier } = ref;
      if (!specifier.startsWith('.')) {
        const pkg = packageOf(specifier);
        const home = PACKAGE_HOMES[pkg];
        if (home !== undefined && own.name !== home) {
          violations.push(`${at}: imports ${specifier}, which only source/${home}/ may import`);
        }
        const builtin = specifier.replace(/^node:/, '').split('/')[0]!;
        if (PURE_LAYERS.has(own.name) && IO_BUILTINS.has(builtin)) {
          violations.push(`${at}: imports ${specifier}, which does I/O; ${own.path} is pure (no I/O)`);
        }
        continue;
      }
      const target = posix.normalize(posix.join(posix.dirname(file.path), specifier));
      const layer = layerOf(rules, target);
      if (!target.startsWith('source/') || !layer) {
        violations.push(`${at}: imports ${specifier} (${target}), which is in no layer of ${DOC}`);
        continue;
      }
      if (layer === own || own.everything) continue;
      const allowed = own.allowed.get(layer.name);
      if (!allowed) {
        violations.push(
          `${at}: imports ${specifier} (layer ${layer.name}), which its row in ${DOC} does not allow`,
        );
      } else if (allowed.typesOnly && !ref.typeOnly) {
        violations.push(
          `${at}: imports ${specifier} (layer ${layer.name}) at run time, but its row in ${DOC} allows ` +
            `only types from ${layer.name}: use \`import type\``,
        );
      }
    }
  }
  return violations;
}
