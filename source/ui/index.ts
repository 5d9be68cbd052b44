/** The terminal UI. `runUi` draws a `UiStore` that the wiring (source/cli.tsx) feeds with folded models. */

export { App, type AppProps } from './app.js';
export { ASCII_GLYPHS, glyphsFor, UNICODE_GLYPHS } from './glyphs.js';
export { KEYMAP, keymapMarkdown } from './keymap.js';
export { INITIAL_NAV, type NavState } from './navigation.js';
export { type RunUiOptions, type RunUiResult, runUi } from './run.js';
export { cell, displayWidth, sanitize, truncate } from './sanitize.js';
export {
  createUiStore,
  type ReplayControls,
  type ReplayStatus,
  type UiState,
  type UiStore,
} from './store.js';
export { type Theme, ThemeProvider } from './theme.js';
