/**
 * A local HTTP proxy in front of one metrics endpoint, so a test can break the endpoint on its own. The JMX
 * exporter agent lives inside the broker's JVM: without a proxy, the metrics endpoint fails only when its
 * broker does. Modes:
 * - `pass`: forwards to the real endpoint (if the upstream fails, the client's connection is dropped);
 * - `hang`: accepts the request and never answers (a slow endpoint, or one stuck in a GC pause);
 * - `closed`: stops listening, so connections are refused, and drops kept-alive ones;
 * - `404`: answers 404 Not Found;
 * - `garbage`: answers 200 with a body that is not Prometheus text (HTML and control bytes).
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'hang' | 'closed' | '404' | 'garbage';

export interface MetricsProxy {
  /** The proxied URL, same path as the upstream's. Stays the same across modes. */
  readonly url: string;
  readonly mode: ProxyMode;
  /** Requests received in each mode (a refused connection is not a request). */
  readonly requests: Record<ProxyMode, number>;
  setMode(mode: ProxyMode): Promise<void>;
  close(): Promise<void>;
}

export const GARBAGE_BODY =
  '<html><head><title>502 Bad Gateway</title></head>\n<body>\u001b[31mupstream \u0000\u0007 gone\u001b[0m</body></html>\n' +
  '{"status":"error","metrics":[1,2,3]}\n';

export async function startMetricsProxy(upstream: string): Promise<MetricsProxy> {
  const target = new URL(upstream);
  let mode: ProxyMode = 'pass';
  const requests: Record<ProxyMode, number> = { pass: 0, hang: 0, closed: 0, '404': 0, garbage: 0 };
  // Hung responses are kept so they can be released when the mode changes: a restored endpoint must not
  // keep sockets around that a client has long given up on.
  const hung = new Set<ServerResponse>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const upstreamRequest = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: 'GET',
        headers: { accept: req.headers.accept ?? '*/*' },
      },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
        upstreamResponse.on('error', () => res.destroy());
      },
    );
    // A dead upstream shows through as a dropped connection, as close to the real failure as a proxy gets.
    upstreamRequest.on('error', () => res.destroy());
    res.on('close', () => upstreamRequest.destroy());
    upstreamRequest.end();
  };

  const server: Server = createServer((req, res) => {
    requests[mode]++;
    switch (mode) {
      case 'pass':
        return forward(req, res);
      case 'hang':
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      case '404':
        res.writeHead(404, { 'content-type': 'text/plain' });
        return res.end('404 page not found\n');
      case 'garbage':
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        return res.end(GARBAGE_BODY);
      case 'closed':
        // Only a connection accepted just before the switch gets here.
        return res.destroy();
    }
  });
  server.keepAliveTimeout = 5000;

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  await listen(0);
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${target.pathname}`;

  return {
    url,
    get mode() {
      return mode;
    },
    requests,
    async setMode(next) {
      if (next === mode) return;
      const previous = mode;
      mode = next;
      for (const res of hung) res.destroy();
      hung.clear();
      if (next === 'closed') await stopListening();
      else if (previous === 'closed') await listen(port);
      else server.closeIdleConnections();
    },
    async close() {
      for (const res of hung) res.destroy();
      if (mode !== 'closed') await stopListening();
      mode = 'closed';
    },
  };
}
