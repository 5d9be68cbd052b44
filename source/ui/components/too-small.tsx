import { Box, Text } from 'ink';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

/** Shown instead of a broken layout; q and ctrl-c still quit. */
export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  const w = Math.max(1, columns);
  return (
    <Box flexDirection="column" width={w} height={Math.max(1, rows - 1)} overflow="hidden">
      <Text wrap="truncate">{`terminal too small: need ${MIN_COLUMNS}x${MIN_ROWS}, have ${columns}x${rows}`}</Text>
      <Text wrap="truncate">q quit</Text>
    </Box>
  );
}
