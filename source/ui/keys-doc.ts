/** docs/keys.md, made from the keymap: `npx tsx source/ui/keys-doc.ts > docs/keys.md`. A unit test compares them. */
import { fileURLToPath } from 'node:url';
import { type Binding, KEYMAP } from './keymap.js';

/** A Markdown table with padded columns, as Biome formats Markdown. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, 3, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)];
}

/** The keymap as Markdown (docs/keys.md is generated from, and tested against, this). */
export function keymapMarkdown(): string {
  const keyText = (b: Binding) => b.keys.map((k) => `\`${k}\``).join(', ');
  const viewText = (b: Binding) => (b.views === 'all' ? 'everywhere' : b.views.join(', '));
  const lines = [
    '# Keys',
    '',
    '<!-- Generated from source/ui/keymap.ts: `npx tsx source/ui/keys-doc.ts > docs/keys.md`. A unit test fails when they differ. -->',
    '',
    'No binding needs Alt or a function key, so all of them work over SSH and inside tmux.',
    '',
    ...markdownTable(
      ['Keys', 'Command', 'Where'],
      KEYMAP.filter((b) => !b.replayOnly).map((b) => [keyText(b), b.description, viewText(b)]),
    ),
    '',
    '## Replay (`--replay FILE`)',
    '',
    ...markdownTable(
      ['Keys', 'Command'],
      KEYMAP.filter((b) => b.replayOnly).map((b) => [keyText(b), b.description]),
    ),
    '',
    '## While typing a filter',
    '',
    'Printable keys edit the filter text, backspace deletes, enter keeps the filter and returns to the list, esc clears it.',
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(keymapMarkdown());
