/**
 * Where Ink is installed, whether it is a version our replacements were checked against, and the
 * registration of the loader hooks (hooks.ts). Imports nothing of Ink, so it can run before Ink loads.
 */
import { createRequire, register } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Ink's build directory (node_modules/ink/build). */
export const inkBuildDir = dirname(require.resolve('ink'));
const inkVersion = (require(join(inkBuildDir, '..', 'package.json')) as { version: string }).version;
/** Ink versions whose internals source/ui/ink/ mirrors; on any other, Ink is left as it is. */
export const inkSupported = /^6\.8\./.test(inkVersion);

let registered = false;

/**
 * Gives Ink our `widest-line` and `measure-text` (see hooks.ts). Must run before Ink is first imported:
 * modules already loaded keep what they imported. Returns whether the hooks are in place.
 */
export function registerInkHooks(): boolean {
  if (!inkSupported) return false;
  if (!registered) {
    register('./hooks.js', import.meta.url);
    registered = true;
  }
  return true;
}
