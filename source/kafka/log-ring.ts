/**
 * kafkajs logs go here instead of the console: Ink redraws on every console write (patchConsole), and
 * connection errors would scribble over the screen. A future log view reads `lines()`.
 */
import { type logCreator, logLevel } from 'kafkajs';

export interface KafkaLogLine {
  /** ISO-8601. */
  time: string;
  level: 'error' | 'warn' | 'info' | 'debug';
  namespace: string;
  message: string;
}

export interface LogRing {
  /** Oldest first. */
  lines(): KafkaLogLine[];
  push(line: KafkaLogLine): void;
  /** A kafkajs `logCreator` that appends to this ring through `clean` (redaction, one line). */
  logCreator(clean: (text: string) => string): logCreator;
}

const LEVEL_NAMES: Record<number, KafkaLogLine['level']> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export function createLogRing(capacity = 500): LogRing {
  const buffer: KafkaLogLine[] = [];
  const push = (line: KafkaLogLine) => {
    buffer.push(line);
    if (buffer.length > capacity) buffer.splice(0, buffer.length - capacity);
  };
  return {
    lines: () => buffer.slice(),
    push,
    logCreator:
      (clean) =>
      () =>
      ({ namespace, level, log }) => {
        const { message, timestamp, error } = log as { message?: string; timestamp?: string; error?: string };
        const detail = typeof error === 'string' && error.length > 0 ? `: ${error}` : '';
        push({
          time: timestamp ?? new Date().toISOString(),
          level: LEVEL_NAMES[level] ?? 'info',
          namespace: clean(namespace ?? ''),
          message: clean(`${message ?? ''}${detail}`),
        });
      },
  };
}
