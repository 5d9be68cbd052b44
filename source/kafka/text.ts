/**
 * Cleaning of text that leaves the collector as a message: errors and kafkajs log lines. Kafka error
 * messages can quote broker-supplied strings, and a SASL failure must never echo the password.
 */

// C0 and C1 controls, DEL, and the bidi overrides that can reorder what a terminal shows.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Replaces control characters with a space and collapses the result to one trimmed line. */
export function oneLine(text: string, maxLength = 300): string {
  const cleaned = text.replace(UNSAFE, ' ').replace(/ {2,}/g, ' ').trim();
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength - 1)}…` : cleaned;
}

/** Returns a function that redacts every given secret (ignoring empty ones) and cleans the text. */
export function createRedactor(secrets: Array<string | undefined | null>): (text: string) => string {
  const present = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  return (text) => {
    let out = text;
    for (const secret of present) out = out.split(secret).join('***');
    return oneLine(out);
  };
}

/** The message of anything thrown, without the kafkajs class name noise. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
