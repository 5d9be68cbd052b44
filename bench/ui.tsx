/**
 * UI benchmark entry (bench/ui-frames.tsx has the cases). Ink's text-measuring hooks must be in place
 * before Ink loads, as kafkatop's CLI does; BENCH_UI_INK_HOOKS=0 measures Ink's own instead.
 */
import { registerInkHooks } from '../source/ui/ink/register.js';

const on = process.env.BENCH_UI_INK_HOOKS !== '0' && registerInkHooks();
process.env.BENCH_UI_INK_HOOKS = on ? '1' : '0';
await import('./ui-frames.js');
