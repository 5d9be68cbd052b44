/** Prints docs/keys.md from the keymap: `npx tsx source/ui/keys-doc.ts > docs/keys.md`. */
import { keymapMarkdown } from './keymap.js';

process.stdout.write(keymapMarkdown());
