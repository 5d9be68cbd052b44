import { Text } from 'ink';
import { clockZone } from '../format.js';
import { footerHints, type KeyContext } from '../keymap.js';
import { truncate } from '../sanitize.js';
import { toneColor, useTheme } from '../theme.js';

export interface FooterProps {
  readonly context: KeyContext;
  readonly width: number;
  /** The focused list's filter text. */
  readonly filter: string;
  readonly editingFilter: boolean;
}

/** The hint bar, built from the keymap; while typing a filter, the filter prompt instead. */
export function Footer({ context, width, filter, editingFilter }: FooterProps) {
  const theme = useTheme();
  if (editingFilter) {
    return (
      <Text wrap="truncate">
        <Text bold color={toneColor(theme, 'accent')}>
          /
        </Text>
        {truncate(`${filter}_`, width - 40, theme.glyphs.ellipsis)}
        <Text color={toneColor(theme, 'muted')}>{'   enter keep  esc clear  backspace delete'}</Text>
      </Text>
    );
  }
  const hints = footerHints(context);
  return (
    <Text wrap="truncate">
      {/* Once on screen, the zone every time is shown in (local by default, UTC with --utc). */}
      <Text color={toneColor(theme, 'muted')}>{`times ${clockZone(Date.now())}  `}</Text>
      {filter ? (
        <Text
          color={toneColor(theme, 'accent')}
        >{`filter "${truncate(filter, 20, theme.glyphs.ellipsis)}" (esc clears)  `}</Text>
      ) : null}
      {hints.map((b) => (
        <Text key={b.command}>
          <Text bold inverse>
            {b.label}
          </Text>
          <Text color={toneColor(theme, 'muted')}>{` ${b.hint} `}</Text>
        </Text>
      ))}
    </Text>
  );
}
