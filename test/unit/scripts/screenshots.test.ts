import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run screenshots', () => {
  it('renders a demo frame through the terminal emulator into an SVG', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kafkatop-shots-'));
    try {
      const { stdout } = await run(
        'npx',
        ['tsx', 'scripts/screenshots/run.ts', '--out', out, '--only', 'broker-failure'],
        {
          timeout: 120_000,
        },
      );
      expect(stdout).toContain('broker-failure.svg');
      const svg = readFileSync(join(out, 'broker-failure.svg'), 'utf8');
      expect(svg).toMatch(/^<svg /);
      // What the broker-failure scenario shows: the header, a down broker, ISR shrinks.
      expect(svg).toContain('kafkatop');
      expect(svg).toMatch(/DOWN/);
      expect(svg).toMatch(/shrink/);
      // Coloured, as a terminal shows it, and no raw escape sequences left over.
      expect(svg).toMatch(/fill="#(?!cdd6f4|1e1e2e)[0-9a-f]{6}"/);
      expect(svg).not.toContain('\u001b');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 150_000);
});
