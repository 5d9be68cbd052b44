/** Bad input the user can fix: printed as is, exit code 2. Lives here so cli/options.ts and config/ share it without a cycle. */
export class UsageError extends Error {
  override name = 'UsageError';
}
