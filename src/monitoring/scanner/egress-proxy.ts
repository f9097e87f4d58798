/**
 * The browser's only way out: a small HTTP proxy on loopback, in the scanner's child process, through which Chromium
 * sends every request. Chromium then never resolves a name itself: the proxy resolves it with the same guard as the
 * probes and connects to the address it has just checked, so a name that changes to a private address between a check
 * and a connection (DNS rebinding) is refused at the connection itself.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, isIP, type AddressInfo, type Socket } from 'node:net';
import { addressRefusal, guardedLookup, hostOf, systemResolver, type AllowedRanges, type Resolver } from '../ssrf.ts';

export interface EgressProxy {
  /** `http://127.0.0.1:PORT`, for Chromium's `proxy.server`. */
  readonly url: string;
  close(): Promise<void>;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** `onRefusal` hears each connection the guard refused or that failed, with its reason (for the page's notes). */
export async function startEgressProxy(
  allowed: AllowedRanges,
  onRefusal: (reason: string) => void = () => {},
  resolver: Resolver = systemResolver,
): Promise<EgressProxy> {
  const lookup = guardedLookup(allowed, resolver);

  /** An IP literal skips the socket's lookup: it is checked here; a name is checked by the lookup at connection. */
  const literalRefusal = (host: string): string | null => (isIP(host) ? addressRefusal(host, allowed) : null);

  const refuse = (reason: string): void => onRefusal(reason);

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (target.protocol !== 'http:') {
      res.writeHead(400).end();
      return;
    }
    const host = hostOf(target);
    const refusal = literalRefusal(host);
    if (refusal) {
      refuse(refusal);
      res.writeHead(403).end();
      return;
    }
    const upstream = httpRequest(
      {
        host,
        port: Number(target.port || DEFAULT_PORTS[target.protocol]),
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: withoutProxyHeaders(req.headers),
        lookup: lookup as never,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      refuse(error.message);
      if (!res.headersSent) res.writeHead(error.name === 'ForbiddenAddressError' ? 403 : 502);
      res.end();
    });
    req.pipe(upstream);
  });

  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(req.url ?? '');
    if (!match) {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const [, host, port] = match;
    const refusal = literalRefusal(host!);
    if (refusal) {
      refuse(refusal);
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect({ host: host!, port: Number(port), lookup: lookup as never });
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (error) => {
      refuse(error.message);
      if (client.writable)
        client.end(error.name === 'ForbiddenAddressError' ? 'HTTP/1.1 403 Forbidden\r\n\r\n' : 'HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    client.on('error', () => upstream.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function withoutProxyHeaders(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const copy = { ...headers };
  delete copy['proxy-connection'];
  delete copy['proxy-authorization'];
  return copy;
}
