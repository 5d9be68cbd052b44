/**
 * Colour and glyph choices, passed down by context. Colour is opt-out (NO_COLOR, --no-color): every
 * coloured cell also carries a symbol or word, so nothing is lost without it. Ink's chalk ignores
 * NO_COLOR, so instead of relying on it the components simply pass no colour at all.
 */

import { createContext, type ReactNode, useContext } from 'react';
import type { Glyphs } from './glyphs.js';
import type { Tone } from './view-models/table.js';

export interface Theme {
  readonly color: boolean;
  readonly glyphs: Glyphs;
}

const ThemeContext = createContext<Theme | null>(null);

export function ThemeProvider({ theme, children }: { theme: Theme; children: ReactNode }) {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

/** Fails loudly when a component is rendered without the provider (a test or wiring mistake). */
export function useTheme(): Theme {
  const theme = useContext(ThemeContext);
  if (!theme) throw new Error('useTheme: no ThemeProvider above this component');
  return theme;
}

const COLORS: Record<Tone, string> = {
  crit: 'red',
  warn: 'yellow',
  ok: 'green',
  muted: 'gray',
  accent: 'cyan',
};

/** The Ink colour for a tone, or undefined when colour is off. */
export function toneColor(theme: Theme, tone: Tone | undefined): string | undefined {
  return theme.color && tone ? COLORS[tone] : undefined;
}
