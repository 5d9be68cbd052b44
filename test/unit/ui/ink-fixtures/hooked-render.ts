/**
 * Run as its own process (node --import tsx): registers the hooks, then renders with Ink, and prints
 * how many texts our measure-text and widest-line hold. Non-zero only if Ink's modules used ours.
 */
import { registerInkHooks } from '../../../../source/ui/ink/register.js';

const registered = registerInkHooks();
const { render, Text } = await import('ink');
const { createElement } = await import('react');
const { measureTextCacheSize } = await import('../../../../source/ui/ink/measure-text.js');
const { widestLineCacheSize } = await import('../../../../source/ui/ink/widest-line.js');
const instance = render(createElement(Text, null, 'lag ● 12,345'), { patchConsole: false });
await new Promise((resolve) => setTimeout(resolve, 50));
instance.unmount();
process.stderr.write(
  `${JSON.stringify({ registered, measured: measureTextCacheSize(), widths: widestLineCacheSize() })}\n`,
);
