import { Text } from 'ink';
import { truncate } from '../sanitize.js';
import { toneColor, useTheme } from '../theme.js';
import type { Facts } from '../views/view.js';

/** One line of labelled facts, separated by two spaces, cut to the width. */
export function FactsLine({ facts, width }: { facts: Facts; width: number }) {
  const theme = useTheme();
  let used = 0;
  const parts: { text: string; tone: (typeof facts)[number]['tone'] }[] = [];
  for (const f of facts) {
    const sep = parts.length ? '  ' : '';
    const room = width - used - sep.length;
    if (room <= 1) break;
    const text = truncate(f.text, room, theme.glyphs.ellipsis);
    parts.push({ text: sep + text, tone: f.tone });
    used += sep.length + text.length;
  }
  return (
    <Text wrap="truncate">
      {parts.map((p, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: facts are a fixed list per view
        <Text key={i} color={toneColor(theme, p.tone)}>
          {p.text}
        </Text>
      ))}
    </Text>
  );
}
