import { readFileSync } from 'node:fs';
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import {
  footerHints,
  KEYMAP,
  keymapMarkdown,
  keyName,
  lookup,
  type ViewKind,
} from '../../../source/ui/keymap.js';

const noKey: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

const VIEWS: ViewKind[] = ['overview', 'group', 'partition', 'broker', 'topic', 'topics'];

describe('keymap', () => {
  it('has no key bound twice in the same context', () => {
    for (const view of VIEWS) {
      for (const replay of [false, true]) {
        const seen = new Map<string, string>();
        for (const b of KEYMAP) {
          if (b.replayOnly && !replay) continue;
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
    expect(keyName('c', { ...noKey, ctrl: true })).toBe('ctrl+c');
    expect(keyName('', { ...noKey, tab: true, shift: true })).toBe('shift+tab');
    expect(keyName('', { ...noKey, return: true })).toBe('enter');
    expect(keyName(' ', noKey)).toBe('space');
    expect(keyName('G', { ...noKey, shift: true })).toBe('G');
  });

  it('activates replay keys only while replaying', () => {
    expect(lookup('space', { view: 'overview', replay: false })).toBeUndefined();
    expect(lookup('space', { view: 'overview', replay: true })?.command).toBe('replayPause');
    expect(lookup('q', { view: 'partition', replay: false })?.command).toBe('quit');
    expect(footerHints({ view: 'overview', replay: false }).map((b) => b.command)).toContain('expand');
    expect(footerHints({ view: 'group', replay: false }).map((b) => b.command)).not.toContain('expand');
  });

  it('docs/keys.md is generated from the table', () => {
    const doc = readFileSync(new URL('../../../docs/keys.md', import.meta.url), 'utf8');
    expect(doc).toBe(keymapMarkdown());
  });
});
