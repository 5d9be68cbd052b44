import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { footerHints, helpRows, KEYMAP, lookup, type ViewKind } from '../../../source/ui/keymap.js';
import { keyName, NO_KEY } from '../../../source/ui/keys.js';
import { keymapMarkdown } from '../../../source/ui/keys-doc.js';

const VIEWS: ViewKind[] = [
  'overview',
  'group',
  'partition',
  'broker',
  'topic',
  'topicPartition',
  'topics',
  'quorum',
];

describe('keymap', () => {
  it('has no key bound twice in the same context', () => {
    for (const view of VIEWS) {
      for (const replay of [false, true]) {
        const seen = new Map<string, string>();
        for (const b of KEYMAP) {
          if ((b.replayOnly && !replay) || (b.liveOnly && replay)) continue;
          if (b.views !== 'all' && !b.views.includes(view)) continue;
          for (const k of b.keys) {
            expect(seen.get(k), `${k} in ${view}`).toBeUndefined();
            seen.set(k, b.command);
          }
        }
      }
    }
  });

  it('needs neither Alt nor function keys', () => {
    for (const b of KEYMAP) for (const k of b.keys) expect(k).not.toMatch(/^(alt|meta)\+|^f\d+$/);
  });

  it('maps Ink key events to canonical names', () => {
    expect(keyName('c', { ...NO_KEY, ctrl: true })).toBe('ctrl+c');
    expect(keyName('', { ...NO_KEY, tab: true, shift: true })).toBe('shift+tab');
    expect(keyName('', { ...NO_KEY, return: true })).toBe('enter');
    expect(keyName(' ', NO_KEY)).toBe('space');
    expect(keyName('G', { ...NO_KEY, shift: true })).toBe('G');
  });

  it('activates replay keys only while replaying', () => {
    expect(lookup('space', { view: 'overview', replay: false })).toBeUndefined();
    expect(lookup('space', { view: 'overview', replay: true })?.command).toBe('replayPause');
    expect(lookup('q', { view: 'partition', replay: false })?.command).toBe('quit');
    expect(footerHints({ view: 'overview', replay: false }).map((b) => b.command)).toContain('expand');
    expect(footerHints({ view: 'group', replay: false }).map((b) => b.command)).not.toContain('expand');
  });

  it('hides live-only keys in a replay: input, footer and help alike', () => {
    expect(lookup('r', { view: 'overview', replay: false })?.command).toBe('refresh');
    expect(lookup('r', { view: 'overview', replay: true })).toBeUndefined();
    for (const view of VIEWS) {
      const replay = { view, replay: true };
      expect(helpRows(replay).map((b) => b.command)).not.toContain('refresh');
      expect(footerHints(replay).some((b) => b.liveOnly)).toBe(false);
    }
    expect(helpRows({ view: 'overview', replay: false }).map((b) => b.command)).toContain('refresh');
  });

  it('docs/keys.md is generated from the table', () => {
    const doc = readFileSync(new URL('../../../docs/keys.md', import.meta.url), 'utf8');
    expect(doc).toBe(keymapMarkdown());
  });
});
