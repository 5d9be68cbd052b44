import { describe, expect, it } from 'vitest';
import { checkArgv } from '../../../source/cli/args.js';
import { UsageError } from '../../../source/cli/options.js';

describe('checkArgv', () => {
  it.each([
    [['--demo', '--bogus'], 'unknown flag --bogus'],
    [['--demo', '--bogus=1'], 'unknown flag --bogus'],
    [['-z'], 'unknown flag -z'],
    [['--no-brokers'], 'unknown flag --no-brokers'],
    [['--demo', '--record'], '--record needs a file: --record FILE'],
    [['--demo', '--record', '--once'], '--record needs a file: --record FILE'],
    [['--demo', '--speed'], '--speed needs a value: --speed X'],
    [['--demo', '--interval', '1s', '--interval', '2s'], '--interval can be given only once'],
  ])('%j: %s', (argv, message) => {
    expect(() => checkArgv(argv)).toThrow(new UsageError(message));
  });

  it.each([
    [['--demo', '--no-color', '--seed', '-1', '--speed=2']],
    [['-b', 'k:1', '--metric-name', 'a=b', '--metric-name', 'c=d']],
    [['--record', '-', '--demo']],
    [['--help']],
    [['--demo', '--', '--anything']],
  ])('accepts %j', (argv) => {
    expect(() => checkArgv(argv)).not.toThrow();
  });
});
