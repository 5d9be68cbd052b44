import { Box, Text } from 'ink';
import { type Binding, helpRows, type KeyContext } from '../keymap.js';
import { pad, truncate } from '../sanitize.js';
import { toneColor, useTheme } from '../theme.js';

/** Words wrapped to `width`; a word longer than the width is cut. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines.map((l) => (l.length > width ? truncate(l, width) : l));
}

/** The gist of a description: before its parenthesis or semicolon (`Freeze the display`). */
function gist(description: string): string {
  const cut = description.search(/ \(|;/);
  return cut > 0 ? description.slice(0, cut) : description;
}

export interface HelpEntry {
  readonly label: string;
  readonly lines: readonly string[];
}

export interface HelpLayout {
  readonly columns: readonly (readonly HelpEntry[])[];
  readonly labelWidth: number;
  readonly columnWidth: number;
}

/** Entries in one column, or split in two where the taller column is shortest (keymap order kept). */
function flow(
  rows: readonly Binding[],
  count: 1 | 2,
  width: number,
  labelWidth: number,
  describe: (b: Binding) => string,
): { columns: HelpEntry[][]; columnWidth: number; tallest: number } {
  const columnWidth = Math.floor(width / count);
  const entries: HelpEntry[] = [];
  let total = 0;
  for (const b of rows) {
    const lines = wrapWords(describe(b), Math.max(8, columnWidth - labelWidth - 1));
    entries.push({ label: b.label, lines });
    total += lines.length;
  }
  if (count === 1) return { columns: [entries], columnWidth, tallest: total };
  let split = 0;
  let tallest = total;
  let before = 0;
  for (let k = 0; k <= entries.length; k++) {
    const taller = Math.max(before, total - before);
    if (taller < tallest) {
      tallest = taller;
      split = k;
    }
    before += entries[k]?.lines.length ?? 0;
  }
  return { columns: [entries.slice(0, split), entries.slice(split)], columnWidth, tallest };
}

/**
 * Every binding on screen: one column of full descriptions where they fit, else two; where two are
 * still too tall (80x24 with the replay keys), the longest descriptions give way to their gist, one
 * at a time. Descriptions wrap instead of being cut.
 */
export function helpLayout(rows: readonly Binding[], width: number, room: number): HelpLayout {
  let labelWidth = 0;
  for (const b of rows) labelWidth = Math.max(labelWidth, b.label.length);
  labelWidth += 2;
  const gisted = new Set<Binding>();
  const describe = (b: Binding) => (gisted.has(b) ? gist(b.description) : b.description);
  let best = flow(rows, 1, width, labelWidth, describe);
  if (best.tallest <= room) return { columns: best.columns, labelWidth, columnWidth: best.columnWidth };
  for (;;) {
    best = flow(rows, 2, width, labelWidth, describe);
    if (best.tallest <= room) break;
    let longest: Binding | null = null;
    for (const b of rows) {
      if (gisted.has(b) || gist(b.description) === b.description) continue;
      if (!longest || b.description.length > longest.description.length) longest = b;
    }
    if (!longest) break;
    gisted.add(longest);
  }
  return { columns: best.columns, labelWidth, columnWidth: best.columnWidth };
}

function Column({
  entries,
  width,
  labelWidth,
}: {
  entries: readonly HelpEntry[];
  width: number;
  labelWidth: number;
}) {
  return (
    <Box flexDirection="column" width={width}>
      {entries.map((e) =>
        e.lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: wrapped lines are positional within a binding
          <Text key={`${e.label}:${i}`} wrap="truncate">
            <Text bold>{pad(i === 0 ? e.label : '', labelWidth)}</Text>
            {line}
          </Text>
        )),
      )}
    </Box>
  );
}

/** The `?` screen, generated from the keymap for the current view. */
export function Help({ context, width, height }: { context: KeyContext; width: number; height: number }) {
  const theme = useTheme();
  const room = Math.max(1, height - 2);
  const layout = helpLayout(helpRows(context), width, room);
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold color={toneColor(theme, 'accent')}>
        {`Keys (${context.view}${context.replay ? ', replay' : ''})  ? or esc closes`}
      </Text>
      <Box flexDirection="row" height={room} overflow="hidden">
        {layout.columns.map((entries, i) => (
          <Column
            key={entries[0]?.label ?? i}
            entries={entries}
            width={i === layout.columns.length - 1 ? width - layout.columnWidth * i : layout.columnWidth}
            labelWidth={layout.labelWidth}
          />
        ))}
      </Box>
      <Text color={toneColor(theme, 'muted')} wrap="truncate">
        {`Status: ${theme.glyphs.crit} critical  ${theme.glyphs.warn} warning  ${theme.glyphs.ok} ok   ~ estimate   * controller`}
      </Text>
    </Box>
  );
}
