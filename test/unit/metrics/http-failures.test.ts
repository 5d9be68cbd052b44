import { afterEach, describe, expect, it } from 'vitest';
import { redactUrl } from '../../../source/metrics/http.js';
import { createJmxExporterSource } from '../../../source/metrics/jmx-exporter.js';
import { type FakeServer, fixture, freePort, startServer } from './helpers.js';

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(handler: Parameters<typeof startServer>[0]): Promise<FakeServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

const one = [{ id: 1, host: '127.0.0.1' }];

describe('JMX exporter scrape over real HTTP', () => {
  it('reads a good page', async () => {
    const server = await serve((_req, res) => res.end(fixture('strimzi-exporter-1x.prom')));
    const source = createJmxExporterSource({ urls: new Map([[1, `${server.url}/metrics`]]) });
    const scrape = await source.scrape(one, 0);
    expect(scrape.byBroker.get(1)?.underReplicatedPartitions).toBe(2);
    expect(scrape.errors).toEqual([]);
    expect(server.requests[0]?.headers.accept).toContain('text/plain');
  });

  it('records connection refused', async () => {
    const port = await freePort();
    const source = createJmxExporterSource({ urls: new Map([[1, `http://127.0.0.1:${port}/metrics`]]) });
    const scrape = await source.scrape(one, 0);
    expect(scrape.errors).toEqual([
      { source: 'metrics:1', message: `http://127.0.0.1:${port}/metrics: connection refused` },
    ]);
    expect(scrape.byBroker.size).toBe(0);
  });

  it('times out a hanging endpoint within the scrape timeout and keeps the healthy one', async () => {
    const hanging = await serve(() => {});
    const healthy = await serve((_req, res) => res.end(fixture('jmx-example-exporter-0x.prom')));
    const source = createJmxExporterSource({
      urls: new Map([
        [1, `${hanging.url}/metrics`],
        [2, `${healthy.url}/metrics`],
      ]),
      timeoutMs: 300,
    });
    const started = performance.now();
    const scrape = await source.scrape(
      [
        { id: 1, host: '127.0.0.1' },
        { id: 2, host: '127.0.0.1' },
      ],
      0,
    );
    const elapsed = performance.now() - started;
    expect(scrape.errors).toEqual([
      { source: 'metrics:1', message: `${hanging.url}/metrics: timed out after 300 ms` },
    ]);
    expect(scrape.byBroker.get(2)?.isrShrinks).toBe(3);
    // Bounded by the timeout, with slack for a loaded 2-core machine; not a performance assertion.
    expect(elapsed).toBeLessThan(2500);
  });

  it('times out a body that stops halfway', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('kafka_server_replicamanager_underreplicatedpartitions 0\nkafka_server_');
    });
    const source = createJmxExporterSource({ urls: new Map([[1, `${server.url}/metrics`]]), timeoutMs: 300 });
    const scrape = await source.scrape(one, 0);
    expect(scrape.errors.map((e) => e.message)).toEqual([`${server.url}/metrics: timed out after 300 ms`]);
  });

  it.each([
    [404, 'HTTP 404 Not Found'],
    [500, 'HTTP 500 Internal Server Error'],
  ])('records HTTP %i without the body', async (status, message) => {
    const server = await serve((_req, res) => {
      res.writeHead(status);
      res.end('secret stack trace \u001b[31m');
    });
    const source = createJmxExporterSource({ urls: new Map([[1, `${server.url}/metrics`]]) });
    const scrape = await source.scrape(one, 0);
    expect(scrape.errors).toEqual([{ source: 'metrics:1', message: `${server.url}/metrics: ${message}` }]);
  });

  it('records a garbage body without its bytes', async () => {
    const server = await serve((_req, res) => res.end('\u001b[2J<html>evil</html>\n\u0000\u0001\n'));
    const source = createJmxExporterSource({ urls: new Map([[1, `${server.url}/metrics`]]) });
    const scrape = await source.scrape(one, 0);
    expect(scrape.errors).toEqual([
      { source: 'metrics:1', message: `${server.url}/metrics: not Prometheus text (2 unparseable lines)` },
    ]);
  });

  it('refuses a body over the size bound, declared or streamed', async () => {
    const big = `${'x_metric 1\n'.repeat(2000)}`;
    const declared = await serve((_req, res) => res.end(big));
    const streamed = await serve((_req, res) => {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      for (let i = 0; i < 20; i++) res.write(big.slice(0, 1100));
      res.end();
    });
    const source = createJmxExporterSource({
      urls: new Map([
        [1, `${declared.url}/metrics`],
        [2, `${streamed.url}/metrics`],
      ]),
      maxBodyBytes: 10_000,
    });
    const scrape = await source.scrape(
      [
        { id: 1, host: 'a' },
        { id: 2, host: 'b' },
      ],
      0,
    );
    expect(scrape.errors.map((e) => e.message)).toEqual([
      `${declared.url}/metrics: body larger than 10 KB, refused`,
      `${streamed.url}/metrics: body larger than 10 KB, refused`,
    ]);
  });

  it('sends URL credentials as Basic auth and never prints them', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(401);
      res.end();
    });
    const withCreds = server.url.replace('http://', 'http://scott:tiger@');
    const source = createJmxExporterSource({ urls: new Map([[1, `${withCreds}/metrics?token=abc`]]) });
    const scrape = await source.scrape(one, 0);
    expect(server.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('scott:tiger').toString('base64')}`,
    );
    expect(scrape.errors).toEqual([
      { source: 'metrics:1', message: `${server.url}/metrics: HTTP 401 Unauthorized` },
    ]);
    expect(JSON.stringify(scrape)).not.toMatch(/tiger|abc/);
  });

  it('close() aborts a scrape in flight', async () => {
    const hanging = await serve(() => {});
    const source = createJmxExporterSource({
      urls: new Map([[1, `${hanging.url}/metrics`]]),
      timeoutMs: 10_000,
    });
    const pending = source.scrape(one, 0);
    setTimeout(() => source.close(), 50);
    const scrape = await pending;
    expect(scrape.errors.map((e) => e.message)).toEqual([`${hanging.url}/metrics: metrics source closed`]);
  });
});

describe('redactUrl', () => {
  it('drops credentials, query and fragment', () => {
    expect(redactUrl('https://u:p@host:7071/metrics?token=x#y')).toBe('https://host:7071/metrics');
    expect(redactUrl('not a url with secret')).toBe('(invalid URL)');
  });
});
