/** The layering of docs/architecture.md, read from its table and held against every import in source/. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  checkArchitecture,
  extractImports,
  type LayerRule,
  parseArchitectureTable,
  type SourceFile,
} from '../support/architecture.js';

const ROOT = new URL('../../', import.meta.url);

function sourceFiles(): SourceFile[] {
  const names = readdirSync(new URL('source/', ROOT), { recursive: true, encoding: 'utf8' });
  return names
    .map((name) => `source/${name.split('\\').join('/')}`)
    .filter((path) => /\.tsx?$/.test(path))
    .sort()
    .map((path) => ({ path, text: readFileSync(new URL(path, ROOT), 'utf8') }));
}

const doc = () => readFileSync(new URL('docs/architecture.md', ROOT), 'utf8');

describe('docs/architecture.md', () => {
  it('every import in source/ is one its row allows', () => {
    const violations = checkArchitecture(parseArchitectureTable(doc()), sourceFiles());
    expect(violations, `\n${violations.join('\n')}\n`).toEqual([]);
  });

  it('has a row for each layer, read as the check reads it', () => {
    const rules = parseArchitectureTable(doc());
    const byName = new Map(rules.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual(
      [
        'cli',
        'config',
        'connection',
        'demo',
        'kafka',
        'metrics',
        'model',
        'record',
        'run',
        'snapshot',
        'ui',
      ].sort(),
    );
    expect(byName.get('snapshot')!.allowed.size).toBe(0);
    expect(byName.get('connection')!.allowed.size).toBe(0);
    expect(byName.get('cli')!.everything).toBe(true);
    expect(byName.get('model')!.allowed).toEqual(new Map([['snapshot', { typesOnly: false }]]));
    expect(byName.get('run')!.allowed.get('cli')).toEqual({ typesOnly: true });
  });
});

// Two layers as the doc would write them, for the checks below.
const TABLE = `
| path | what it is | may import |
|---|---|---|
| \`source/snapshot.ts\` | The contract. | nothing |
| \`source/model/\` | Pure. | snapshot |
| \`source/record/\` | Recording. | snapshot, model (types) |
| \`source/kafka/\` | Collector. | snapshot |
| \`source/ui/\` | Ink. | model |
| \`source/cli/\` | Wiring. | everything |
`;
const rules: LayerRule[] = parseArchitectureTable(TABLE);
const file = (path: string, text: string): SourceFile => ({ path, text });
const base = [
  file('source/snapshot.ts', 'export interface ClusterSnapshot {}\n'),
  file('source/ui/y.ts', 'export type Y = 1;\n'),
  file('source/kafka/k.ts', "import { Kafka } from 'kafkajs';\n"),
  file('source/record/r.ts', "import type { Model } from '../model/x.js';\n"),
  file('source/cli/cli.ts', "import { X } from '../ui/y.js';\n"),
];

describe('the architecture check can fail', () => {
  it('a model file importing the ui', () => {
    const files = [...base, file('source/model/x.ts', "import { y } from '../ui/y.js';\n")];
    expect(checkArchitecture(rules, files)).toEqual([
      'source/model/x.ts:1: imports ../ui/y.js (layer ui), which its row in docs/architecture.md does not allow',
    ]);
  });

  it('type-only imports count too, and so do re-exports and dynamic imports', () => {
    const text = [
      "import type { Y } from '../ui/y.js';",
      "export * from '../ui/y.js';",
      'export async function load() {',
      "  return import('../ui/y.js');",
      '}',
    ].join('\n');
    expect(checkArchitecture(rules, [...base, file('source/model/x.ts', text)])).toEqual([
      'source/model/x.ts:1: imports ../ui/y.js (layer ui), which its row in docs/architecture.md does not allow',
      'source/model/x.ts:2: imports ../ui/y.js (layer ui), which its row in docs/architecture.md does not allow',
      'source/model/x.ts:4: imports ../ui/y.js (layer ui), which its row in docs/architecture.md does not allow',
    ]);
  });

  it('(types): a run-time import of a layer allowed only for types', () => {
    const files = [
      ...base,
      file('source/model/x.ts', 'export const X = 1;\n'),
      file('source/record/w.ts', "import { type Model, X } from '../model/x.js';\n"),
    ];
    expect(checkArchitecture(rules, files)).toEqual([
      'source/record/w.ts:1: imports ../model/x.js (layer model) at run time, but its row in docs/architecture.md ' +
        'allows only types from model: use `import type`',
    ]);
  });

  it('kafkajs outside kafka/, ink and react outside ui/, I/O built-ins in model/', () => {
    const files = [
      ...base,
      file('source/model/x.ts', "import { readFileSync } from 'node:fs';\nimport { request } from 'http';\n"),
      file(
        'source/record/w.ts',
        "import { Kafka } from 'kafkajs';\nimport { jsx } from 'react/jsx-runtime';\n",
      ),
    ];
    expect(checkArchitecture(rules, files)).toEqual([
      'source/model/x.ts:1: imports node:fs, which does I/O; source/model/ is pure (no I/O)',
      'source/model/x.ts:2: imports http, which does I/O; source/model/ is pure (no I/O)',
      'source/record/w.ts:1: imports kafkajs, which only source/kafka/ may import',
      'source/record/w.ts:2: imports react/jsx-runtime, which only source/ui/ may import',
    ]);
  });

  it('a file no row covers, a row that covers no file, an import outside source/', () => {
    const files = [
      ...base.filter((f) => f.path !== 'source/ui/y.ts' && f.path !== 'source/cli/cli.ts'),
      file('source/model/x.ts', "import { version } from '../../package.json';\n"),
      file('source/stray.ts', ''),
    ];
    expect(checkArchitecture(rules, files)).toEqual([
      'docs/architecture.md: the row for source/ui/ matches no file under source/',
      'docs/architecture.md: the row for source/cli/ matches no file under source/',
      'source/model/x.ts:1: imports ../../package.json (package.json), which is in no layer of docs/architecture.md',
      'source/stray.ts: has no row in docs/architecture.md (add one, or put the file in a folder that has one)',
    ]);
  });

  it('a "may import" it cannot read unambiguously', () => {
    const row = (mayImport: string) =>
      `| path | what it is | may import |\n|---|---|---|\n| \`source/model/\` | x | snapshot |\n| \`source/snapshot.ts\` | x | ${mayImport} |\n`;
    expect(() => parseArchitectureTable(row('model types'))).toThrow(/cannot read "model types"/);
    expect(() => parseArchitectureTable(row('model (built-in alert rules)'))).toThrow(/cannot read/);
    expect(() => parseArchitectureTable(row('modle'))).toThrow(/cannot read "modle"/);
    expect(() => parseArchitectureTable(row('nothing, model'))).toThrow(/cannot read "nothing"/);
    expect(parseArchitectureTable(row('model (types)'))[1]!.allowed).toEqual(
      new Map([['model', { typesOnly: true }]]),
    );
    expect(() => parseArchitectureTable('# no table\n')).toThrow(
      /no `\| path \| what it is \| may import \|` table/,
    );
  });
});

describe('extractImports', () => {
  it('reads static, type-only, re-exported and dynamic imports; skips comments, strings and regexes', () => {
    const text = [
      "import a from './a.js';",
      "import type { B } from './b.js';",
      'import {',
      '  c,',
      '  type D,',
      "} from './c.js';",
      "import './side-effect.js';",
      "import * as e from 'node:fs';",
      "export { f } from './f.js';",
      "export type { G } from './g.js';",
      "export * as h from './h.js';",
      'export const x = 1;',
      "// import z from './comment.js';",
      "/* import('./block-comment.js') */",
      'const s = "import y from \'./string.js\'";',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a template literal, to tokenize
      "const t = `import('./template.js') ${x / 2} ${`nested ${import('./in-template.js')}`}`;",
      "const r = /import\\('.\\/regex.js'\\)/.test(s) ? x / 2 : 0; // import('./after.js')",
      "const later = await import('./later.js');",
      "type Lazy = typeof import('./lazy.js');",
      'const meta = import.meta.url;',
      'const name = "x"; const dynamic = import(name);',
      "const jsx = <Text>a</Text>; import('./after-jsx.js');",
    ].join('\n');
    expect(
      extractImports(text).map((r) => `${r.line} ${r.kind}${r.typeOnly ? ' type' : ''} ${r.specifier}`),
    ).toEqual([
      '1 import ./a.js',
      '2 import type ./b.js',
      '3 import ./c.js',
      '7 import ./side-effect.js',
      '8 import node:fs',
      '9 export ./f.js',
      '10 export type ./g.js',
      '11 export ./h.js',
      '16 dynamic ./in-template.js',
      '18 dynamic ./later.js',
      '19 dynamic type ./lazy.js',
      '22 dynamic ./after-jsx.js',
    ]);
  });
});
