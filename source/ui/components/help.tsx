import { Box, Text } from 'ink';
import { type Binding, helpRows, type KeyContext } from '../keymap.js';
import { pad, truncate } from '../sanitize.js';
import { toneColor, useTheme } from '../theme.js';

function Column({
  rows,
  width,
  labelWidth,
}: {
  rows: readonly Binding[];
  width: number;
  labelWidth: number;
}) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width}>
      {rows.map((b) => (
        <Text key={b.command} wrap="truncate">
          <Text bold>{pad(b.label, labelWidth)}</Text>
          {truncate(b.description, width - labelWidth - 1, theme.glyphs.ellipsis)}
        </Text>
      ))}
    </Box>
  );
}

/** The `?` screen, generated from the keymap for the current view; two columns when one is too long. */
export function Help({ context, width, height }: { context: KeyContext; width: number; height: number }) {
  const theme = useTheme();
  const rows = helpRows(context);
  const labelWidth = Math.max(...rows.map((b) => b.label.length)) + 2;
  const room = Math.max(1, height - 2);
  const split = rows.length > room;
  const columnWidth = split ? Math.floor(width / 2) : width;
  const first = split ? rows.slice(0, Math.ceil(rows.length / 2)) : rows;
  const second = split ? rows.slice(first.length) : [];
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold color={toneColor(theme, 'accent')}>
        {`Keys (${context.view}${context.replay ? ', replay' : ''})  ? or esc closes`}
      </Text>
      <Box flexDirection="row" height={room} overflow="hidden">
        <Column rows={first.slice(0, room)} width={columnWidth} labelWidth={labelWidth} />
        {split ? (
          <Column rows={second.slice(0, room)} width={width - columnWidth} labelWidth={labelWidth} />
        ) : null}
      </Box>
      <Text color={toneColor(theme, 'muted')} wrap="truncate">
        {`Status: ${theme.glyphs.crit} critical  ${theme.glyphs.warn} warning  ${theme.glyphs.ok} ok   ~ estimate   * controller`}
      </Text>
    </Box>
  );
}
