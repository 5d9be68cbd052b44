/** The terminal UI. `runUi` draws a `UiStore` that run/interactive.ts feeds with folded models. */

export { App, type AppProps } from './app.js';
export { ASCII_GLYPHS, glyphsFor, UNICODE_GLYPHS } from './glyphs.js';
export { KEYMAP } from './keymap.js';
export { keymapMarkdown } from './keys-doc.js';
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
