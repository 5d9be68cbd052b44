#!/usr/bin/env -S node --expose-gc
/**
 * kafkatop's entry point: flags → options → a source → the UI, `--once` output, or a headless recording.
 * Bad flags exit 2 with one clear line; `--once` against an unreachable cluster exits 1 with the reason.
 */
import meow from 'meow';
import { loadConfigFile } from '../config/file.js';
import { DEMO_SCENARIOS } from '../demo/index.js';
import { checkArgv, FLAGS } from './args.js';
import type { Command } from './commands.js';
import { COMMAND_HELP, COMMANDS_SUMMARY } from './help.js';
import { type Options, resolveOptions, UsageError } from './options.js';
import { formatEffectiveConfig } from './print.js';
import { type BuiltSource, createSource } from './sources.js';

const scenarioList = DEMO_SCENARIOS.map((s) => `    ${s.name.padEnd(15)} ${s.description}`).join('\n');

/** Parses the flags: call checkArgv first, so meow never meets a command line it would report its own way. */
const parseFlags = () =>
  meow(
    `
  Usage
    $ kafkatop --brokers HOST:PORT[,HOST:PORT...] [options]
    $ kafkatop --demo [--scenario NAME] [--seed N] [--speed X]
    $ kafkatop --replay FILE [--speed X]
    $ kafkatop COMMAND [ARGS] [options]

${COMMANDS_SUMMARY}

  Cluster
    -b, --brokers HOST:PORT,...   bootstrap brokers (or KAFKATOP_BROKERS)
    --metrics URL-TEMPLATE|LIST   broker JMX exporter endpoints: http://{host}:7071/metrics
                                  ({host} and {id} come from metadata) or 1=URL,2=URL,...
    --prometheus URL              read broker metrics from a Prometheus server instead
    --broker-label NAME           with --prometheus: the label holding the broker id
    --metric-name KEY=NAME[|NAME] override a metric name (repeatable; docs/metrics.md)
    --interval DURATION           refresh interval (default 2s, at least 250ms; 500ms, 2s, 1m)
    --timeout DURATION            longest a refresh may take (default 10s; for wait: the whole wait)
    --history DURATION            how much history to keep (default 450 refreshes: 15m at 2s)
    --stuck-lso DURATION          a last stable offset unmoved below the log end this long is a hanging
                                  transaction (default: the brokers' transaction.max.timeout.ms)
    --group REGEX                 only the groups whose whole id matches (repeatable; !REGEX excludes);
                                  kafkatop then asks Kafka only about those
    --topic REGEX                 only the topics whose whole name matches (repeatable; !REGEX excludes)
    --cluster NAME                a cluster from the config file (or KAFKATOP_CLUSTER)
    --config FILE                 config file (or KAFKATOP_CONFIG;
                                  default ~/.config/kafkatop/config.json)
    --print-config                print the effective config, secrets masked, and exit

  Security (docs/configuration.md)
    --tls                         connect over TLS (system CAs)
    --tls-ca FILE                 trust this PEM CA instead
    --tls-cert FILE --tls-key FILE  client certificate and key (mTLS)
    --tls-insecure                skip certificate verification (warns; testing only)
    --sasl-mechanism NAME         plain, scram-sha-256, scram-sha-512, oauthbearer, aws
    --sasl-username NAME          or KAFKATOP_SASL_USERNAME
    --sasl-password-file FILE     password from a file; or KAFKATOP_SASL_PASSWORD
                                  (there is no password flag: it would end up in shell history)
    --oauth-token-command CMD     OAUTHBEARER token printed by CMD, run at each authentication
    --oauth-token-file FILE       OAUTHBEARER token file, re-read at each authentication
    --aws-region REGION           for --sasl-mechanism aws (MSK IAM; or AWS_REGION)

  Output
    --once                        print one snapshot as a table and exit
    --once --json                 print one snapshot as JSON (docs/snapshot.md) and exit
    COMMAND --json                a gate's answer as JSON (wait: one line per refresh)
    --record FILE                 also write snapshots and events to FILE (NDJSON, docs/recording.md);
                                  REC in the header, the count on exit
    --headless --record FILE      record without the UI; --duration DURATION stops it
    --no-color                    no colour (NO_COLOR is honoured too)
    --ascii                       ASCII only: no braille, blocks or box drawing
    --utc                         times in UTC (default: local time, in the zone TZ names)

  Demo and replay
    --demo                        a simulated cluster, no Kafka needed
    --scenario NAME               demo scenario (default steady):
${scenarioList}
    --seed N                      demo seed (default 1): the same seed gives the same run
    --replay FILE                 play a recording made with --record
    --speed X                     demo or replay speed (default 1)

  Keys: ? shows them all in the app; q quits.
`,
    {
      importMeta: import.meta,
      allowUnknownFlags: false,
      // Absent booleans stay undefined, so "not given" differs from --no-x (e.g. --no-color, --no-tls).
      booleanDefault: undefined,
      flags: FLAGS,
    },
  );

function fail(message: string, code: number): never {
  process.stderr.write(`kafkatop: ${message}\n`);
  process.exit(code);
}

/** A command line the user can fix: what is wrong, then where to look. */
function usage(message: string): never {
  fail(`${message}\nTry 'kafkatop --help'.`, 2);
}

const NO_TTY_MESSAGE =
  'the screen needs a terminal (stdin and stdout must be a TTY); use --once or --headless --record FILE for scripts';

async function main(): Promise<void> {
  // React's development build costs 2-3x the CPU per frame and keeps timing entries on every render. Nothing
  // has loaded React yet (the UI is imported below, on demand), so this still decides which build loads.
  process.env.NODE_ENV ??= 'production';
  let options: Options;
  const argv = process.argv.slice(2);
  const helpFor = argv.includes('--help') ? argv.find((a) => COMMAND_HELP[a] !== undefined) : undefined;
  if (helpFor) {
    process.stdout.write(COMMAND_HELP[helpFor]!);
    return;
  }
  try {
    checkArgv(argv);
    const cli = parseFlags();
    // A demo or a replay needs no cluster, so no config file either.
    const needsConfig = !cli.flags.demo && !cli.flags.replay;
    options = resolveOptions(
      cli.flags,
      process.env,
      DEMO_SCENARIOS.map((s) => s.name),
      needsConfig ? loadConfigFile(cli.flags.config, process.env) : null,
      cli.input,
    );
  } catch (error) {
    if (error instanceof UsageError) usage(error.message);
    throw error;
  }
  if (options.printConfig) {
    process.stdout.write(formatEffectiveConfig(options));
    return;
  }
  if (options.connection.tls?.insecure) {
    process.stderr.write('kafkatop: warning: --tls-insecure: broker certificates are NOT verified\n');
  }
  // chalk (used by Ink) reads FORCE_COLOR when first loaded and ignores NO_COLOR: decide before loading it.
  if (!options.color) process.env.FORCE_COLOR = '0';

  // Ink needs raw mode on stdin and a screen on stdout: say what to use instead of failing inside React.
  if (options.output === 'ui' && !options.command && !(process.stdin.isTTY && process.stdout.isTTY))
    fail(NO_TTY_MESSAGE, 2);

  const built = await createSource(options);
  if ('error' in built) fail(built.error, 2);
  // The UI shows it in the header; a script reading --once output should hear of it too.
  if (built.replay?.warning && options.output !== 'ui')
    process.stderr.write(`kafkatop: warning: ${built.replay.warning} of the recording\n`);

  if (options.command) {
    process.exitCode = await runCommand(built, options, options.command);
    return;
  }

  switch (options.output) {
    case 'once-json':
    case 'once-table': {
      const { runOnce } = await import('../run/once.js');
      process.exitCode = await runOnce(built, options);
      return;
    }
    case 'headless': {
      const { runHeadless } = await import('../run/headless.js');
      process.exitCode = await runHeadless(built, options);
      return;
    }
    case 'ui': {
      const { runInteractive } = await import('../run/interactive.js');
      process.exitCode = await runInteractive(built, options);
      return;
    }
  }
}

async function runCommand(built: BuiltSource, options: Options, command: Command): Promise<number> {
  switch (command.kind) {
    case 'can-restart': {
      const { runCanRestart } = await import('../run/can-restart.js');
      return runCanRestart(built, options, command.brokerId);
    }
    case 'wait': {
      const { runWait } = await import('../run/wait.js');
      return runWait(built, options, command);
    }
    case 'check': {
      const { runCheck } = await import('../run/check.js');
      return runCheck(built, options, command);
    }
  }
}

main().catch((error: unknown) => {
  // A bug, not bad input: one line, no stack trace on the user's terminal (KAFKATOP_DEBUG=1 shows it).
  const message = error instanceof Error ? error.message : String(error);
  if (process.env.KAFKATOP_DEBUG) console.error(error);
  fail(`unexpected error: ${message}`, 1);
});
