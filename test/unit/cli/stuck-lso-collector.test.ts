/** --stuck-lso reaches the collector as well as the model: a bound under 10 s still names its culprit. */
import { expect, it, vi } from 'vitest';
import type { LiveSourceOptions } from '../../../source/cli/live.js';
import { resolveOptions } from '../../../source/cli/options.js';
import { createSource } from '../../../source/cli/sources.js';

const asked = vi.hoisted(() => [] as LiveSourceOptions[]);
vi.mock('../../../source/cli/live.js', () => ({
  createLiveSource(options: LiveSourceOptions) {
    asked.push(options);
    return { label: 'k:1', log: { lines: () => [] }, refresh: async () => ({}), close: async () => {} };
  },
}));

it('the collector is told the stuck bound only when --stuck-lso sets one', async () => {
  for (const flags of [{ brokers: 'k:1', stuckLso: '5s' }, { brokers: 'k:1' }]) {
    const built = await createSource(resolveOptions(flags, {}, []), {});
    if ('error' in built) throw new Error(built.error);
  }
  expect(asked.map((o) => o.kafka.stuckLsoMs)).toEqual([5000, undefined]);
});
