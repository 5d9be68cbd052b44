/**
 * Module loader hooks (node:module `register`, run off the main thread): when Ink 6.8's own modules
 * import `widest-line` or `./measure-text.js`, they get ours (this folder) instead. Nothing else is
 * redirected. Registered by `registerInkHooks()` before Ink is first imported.
 */
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

/** Resolved from this file through the other hooks (tsx, when it runs us), as our own imports are. */
const replacements = new Map([
  ['widest-line', './widest-line.js'],
  ['./measure-text.js', './measure-text.js'],
]);
const INK_BUILD = /\/node_modules\/ink\/build\/[^/]+\.js$/;

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve) {
  const replacement = replacements.get(specifier);
  if (replacement && context.parentURL && INK_BUILD.test(context.parentURL)) {
    return nextResolve(replacement, { ...context, parentURL: import.meta.url });
  }
  return nextResolve(specifier, context);
}
