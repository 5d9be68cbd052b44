/** The gates' own help texts (`kafkatop wait --help`, ...), and the summary `kafkatop --help` lists them in. */

export const COMMANDS_SUMMARY = `  Gates for deploy scripts (kafkatop COMMAND --help for each)
    can-restart BROKER_ID         exit 0 if restarting the broker now keeps every partition it hosts
                                  at or above min.insync.replicas; 1 (and why) if not
    wait settled                  wait until brokers are up, ISRs full, no group rebalancing, lags not rising
    wait broker ID --up           wait until the broker is back in metadata and in every ISR it belongs to
    wait group ID [--members N] [--max-lag N] [--max-time-lag DURATION]
                                  wait until the group is Stable with at least N members and lag under bounds
    check [--for DURATION]        health check: one line per problem; exit 0 OK, 1 warning, 2 critical,
                                  3 unknown (cluster unreachable)
    Exit codes: 0 met or safe, 1 not (timeout, unsafe, warning), 2 bad usage, 3 cluster unreachable.`;

const CONNECT = `  The cluster is given as for the screen: --brokers HOST:PORT (or KAFKATOP_BROKERS), --cluster NAME,
  the security flags, or --demo / --replay FILE to try it. --group REGEX and --topic REGEX (repeatable,
  !REGEX excludes) narrow what is looked at, as everywhere. See kafkatop --help.`;

const WAIT = `
  Usage
    $ kafkatop wait settled [options]
    $ kafkatop wait broker ID --up [options]
    $ kafkatop wait group ID [--members N] [--max-lag N] [--max-time-lag DURATION] [options]

  Waits until the condition holds, printing one line per refresh with what still blocks (rewritten in
  place on a terminal).

  Conditions
    settled                       all brokers up, no offline or under-replicated partitions, no group
                                  rebalancing, no lagging group's lag rising (the screen's "settled")
    broker ID --up                the broker is in metadata, reachable, and in the ISR of every
                                  partition it is a replica of
    group ID                      the group is Stable (a KIP-848 group on a broker without
                                  ConsumerGroupDescribe: only its lag is checked), and with
      --members N                 at least N members
      --max-lag N                 total lag at most N messages
      --max-time-lag DURATION     at most this far behind the newest message (30s, 2m)

  Options
    --timeout DURATION            give up after this long (default 10m)
    --interval DURATION           refresh interval (default 2s)
    --json                        one JSON object per refresh: {at, elapsedMs, condition, met, blocking};
                                  on timeout a last one: {condition, outcome, blocking}

  Exit codes
    0  the condition holds
    1  timed out; the last line says what still blocked
    2  bad usage
    3  the cluster was unreachable for the whole timeout

${CONNECT}
`;

const CAN_RESTART = `
  Usage
    $ kafkatop can-restart BROKER_ID [--json]

  Says whether restarting the broker now keeps every partition it hosts writable for acks=all producers:
  not safe when the broker is the only in-sync replica of a partition, is in an ISR of exactly
  min.insync.replicas (or that config could not be read), or a partition it is in sync for is already
  under-replicated. The KRaft controller quorum is not checked yet (DescribeQuorum is not collected): the
  output says so.

  Exit codes: 0 safe, 1 not safe (the partitions and why), 2 bad usage, 3 cluster unreachable.

${CONNECT}
`;

const CHECK = `
  Usage
    $ kafkatop check [--for DURATION] [--json]

  Watches the cluster for a few refreshes (default 10s, or --for), evaluates the alert rules and prints one
  line per problem. A rule's "for" duration is ignored (pending counts as a problem) unless --for covers
  it, so a 10 s check still reports a lag alert that needs 5 minutes to fire. Down brokers are critical.

  Exit codes, as monitoring plugins give them: 0 OK, 1 warning, 2 critical, 3 unknown (cluster unreachable).
  --json prints the status, the problems, the alerts, and each group's status and time lag.

${CONNECT}
`;

export const COMMAND_HELP: Readonly<Record<string, string>> = {
  wait: WAIT,
  'can-restart': CAN_RESTART,
  check: CHECK,
};
