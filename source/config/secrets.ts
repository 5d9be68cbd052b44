/**
 * Reading secrets (passwords, tokens) from the environment, files and commands. Errors name where a
 * secret was looked for, never what was found: a command's output or a file's content is never quoted.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { SecretRef } from './types.js';

/** A problem the user can fix in how a secret is provided; the message holds no secret. */
export class SecretError extends Error {
  override name = 'SecretError';
}

/** A file's content without the trailing newline editors and `echo` add. */
export async function readSecretFile(path: string, what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SecretError(
      `cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'error')}`,
    );
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') throw new SecretError(`${what} ${path} is empty`);
  return value;
}

export async function readSecret(ref: SecretRef, env: Record<string, string | undefined>, what: string) {
  if ('file' in ref) return readSecretFile(ref.file, `${what} file`);
  const value = env[ref.env];
  if (value === undefined || value === '')
    throw new SecretError(`${what}: environment variable ${ref.env} is not set`);
  return value;
}

export type CommandRunner = (command: string, timeoutMs: number) => Promise<string>;

/** Runs `command` through the shell and resolves with its stdout. */
export const runShellCommand: CommandRunner = (command, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (error, stdout) => {
      if (error) {
        const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        // Neither stdout nor stderr: a failing token helper may print the token or a credential.
        const why = e.killed ? `timed out after ${timeoutMs} ms` : `exit code ${e.code ?? 'unknown'}`;
        reject(new SecretError(`--oauth-token-command failed (${why}); run it by hand to see why`));
      } else resolve(stdout);
    });
  });

/** An OAUTHBEARER token from a command (run on every call) or a file (re-read on every call). */
export async function readToken(
  source: { command: string } | { file: string },
  runCommand: CommandRunner = runShellCommand,
): Promise<string> {
  const raw =
    'file' in source
      ? await readSecretFile(source.file, '--oauth-token-file')
      : await runCommand(source.command, 30_000);
  const token = raw.trim();
  if (token === '') throw new SecretError('--oauth-token-command printed no token');
  if (/\s/.test(token)) throw new SecretError('the OAUTHBEARER token must be a single word (a JWT)');
  return token;
}

/** Replaces every known secret in `text` by `****`. Longest first, so a secret inside another is covered too. */
export function redact(text: string, secrets: Iterable<string>): string {
  const sorted = [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of sorted) out = out.split(secret).join('****');
  return out;
}
