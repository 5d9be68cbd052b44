import { Box, Text } from 'ink';
import { helpRows, type KeyContext } from '../keymap.js';
import { pad, truncate } from '../sanitize.js';
import { toneColor, useTheme } from '../theme.js';

/** The `?` screen, generated from the keymap for the current view. */
export function Help({ context, width, height }: { context: KeyContext; width: number; height: number }) {
  const theme = useTheme();
  const rows = helpRows(context);
  const labelWidth = Math.max(...rows.map((b) => b.label.length)) + 2;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text bold color={toneColor(theme, 'accent')}>
        {`Keys (${context.view}${context.replay ? ', replay' : ''})  ? or esc closes`}
      </Text>
      {rows.slice(0, Math.max(0, height - 3)).map((b) => (
        <Text key={b.command} wrap="truncate">
          <Text bold>{pad(b.label, labelWidth)}</Text>
          {truncate(b.description, width - labelWidth, theme.glyphs.ellipsis)}
        </Text>
      ))}
      <Text color={toneColor(theme, 'muted')} wrap="truncate">
        {`Status: ${theme.glyphs.crit} critical  ${theme.glyphs.warn} warning  ${theme.glyphs.ok} ok   ~ estimate   * controller`}
      </Text>
    </Box>
  );
}
