/**
 * `--metrics` takes either a URL template with `{host}` / `{id}` (filled from broker metadata) or an
 * explicit list `1=URL,2=URL,100=URL` (ids not in metadata, such as dedicated KRaft controllers, are
 * read only for the active-controller metric).
 */
export function parseMetricsFlag(value: string): { template: string } | { urls: Map<number, string> } {
  const text = value.trim();
  if (text === '') throw new Error('--metrics needs a URL template or a list of id=URL');
  if (/^\d+\s*=/.test(text)) {
    const urls = new Map<number, string>();
    // Split only before "<digits>=", so commas inside a URL's query survive.
    for (const entry of text.split(/,(?=\s*\d+\s*=)/)) {
      const match = /^\s*(\d+)\s*=\s*(\S+)\s*$/.exec(entry);
      if (!match)
        throw new Error(
          `--metrics: expected id=URL, got ${JSON.stringify(shorten(stripCredentials(entry)))}`,
        );
      const id = Number(match[1]);
      if (urls.has(id)) throw new Error(`--metrics: node ${id} is listed twice`);
      urls.set(id, checkUrl(match[2]!));
    }
    return { urls };
  }
  if (!text.includes('{host}') && !text.includes('{id}')) {
    throw new Error(
      '--metrics: a template needs {host} or {id} (e.g. http://{host}:7071/metrics), or give id=URL,...',
    );
  }
  checkUrl(text.replaceAll('{host}', 'host').replaceAll('{id}', '1'));
  return { template: text };
}

function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--metrics: not a URL: ${JSON.stringify(shorten(stripCredentials(url)))}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`--metrics: only http and https URLs are supported, got ${parsed.protocol}`);
  }
  return url;
}

/** Drops `user:pass@` from anything URL-like, even when the URL does not parse. */
function stripCredentials(text: string): string {
  return text.replace(/\/\/[^/@]*@/g, '//');
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
