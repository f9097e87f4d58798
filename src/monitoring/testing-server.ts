/**
 * The fixture server of the monitoring tests (only imported by tests and benchmarks): on loopback, pages that are up,
 * slow, failing, flapping, redirecting forever, huge, carrying a declaration mention, and a TLS server with an expired
 * self-signed certificate made at test time with openssl.
 */
import http from 'node:http';
import https from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export const DECLARATION_PAGE = `<!doctype html><html lang="fr"><head><title>Démarche</title></head><body>
<main><h1>Ma démarche</h1><p>Bienvenue sur le service.</p></main>
<footer><a href="/declaration">Accessibilité : partiellement conforme</a></footer></body></html>`;

export const A11Y_PAGE = `<!doctype html><html lang="fr"><head><title>Page avec défauts</title></head><body><main><h1>Défauts connus</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">
<form><input type="text" name="nom"></form></main>
<footer><a href="/declaration">Accessibilité : non conforme</a></footer></body></html>`;

export const DECLARATION_TEXT = `<!doctype html><html lang="fr"><head><title>Déclaration d’accessibilité</title></head><body><main>
<h1>Déclaration d’accessibilité</h1><p>Cette déclaration a été établie le 3 mars 2026.</p>
<h2>État de conformité</h2><p>Le site est partiellement conforme avec le RGAA 4.1 : 75,5 % des critères du RGAA sont respectés.</p>
</main></body></html>`;

export interface FixtureServer {
  /** http://127.0.0.1:port */
  url: string;
  /** https://127.0.0.1:port, expired self-signed certificate */
  expiredTlsUrl: string;
  /** Whether /flap answers 503 (tests flip it). */
  state: { down: boolean; altFixed: boolean; hits: Map<string, number> };
  close(): Promise<void>;
}

function handler(state: FixtureServer['state']): http.RequestListener {
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fixture');
    state.hits.set(url.pathname, (state.hits.get(url.pathname) ?? 0) + 1);
    const page = (status: number, body: string) => {
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      response.end(body);
    };
    switch (url.pathname) {
      case '/':
      case '/ok':
        return page(200, DECLARATION_PAGE);
      case '/slow': {
        const ms = Number(url.searchParams.get('ms') ?? 2000);
        const timer = setTimeout(() => page(200, DECLARATION_PAGE), ms);
        request.on('close', () => clearTimeout(timer));
        return;
      }
      case '/500':
        return page(500, '<h1>Erreur</h1>');
      case '/404':
        return page(404, '<h1>Introuvable</h1>');
      case '/flap':
        return state.down ? page(503, '<h1>Indisponible</h1>') : page(200, DECLARATION_PAGE);
      case '/redirect':
        response.writeHead(302, { location: '/ok' });
        return response.end();
      case '/a11y':
        // Known axe violations: an image without alternative (image-alt → RGAA 1.1.1), a field without label
        // (label → RGAA 11.1.1), a page without lang is avoided on purpose (html-has-lang is also tagged).
        return page(200, state.altFixed ? A11Y_PAGE.replace('<img ', '<img alt="Logo" ') : A11Y_PAGE);
      case '/declaration':
        return page(200, DECLARATION_TEXT);
      case '/alert':
        return page(
          200,
          '<!doctype html><html lang="fr"><head><title>Alerte</title></head><body><main><h1>Alerte</h1><script>alert("bonjour"); confirm("sûr ?");</script></main></body></html>',
        );
      case '/infinite':
        return page(
          200,
          '<!doctype html><html lang="fr"><head><title>Boucle</title></head><body><h1>Boucle</h1><script>for (;;) {}</script></body></html>',
        );
      case '/download':
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="x.bin"' });
        return response.end(Buffer.alloc(1024));
      case '/to-metadata':
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        return response.end();
      case '/loop':
        response.writeHead(302, { location: `/loop?n=${Number(url.searchParams.get('n') ?? 0) + 1}` });
        return response.end();
      case '/huge': {
        // 100 MB, streamed: the prober must stop reading long before the end.
        response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(100 * 1024 * 1024) });
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const write = () => {
          while (sent < 100 * 1024 * 1024) {
            sent += chunk.length;
            if (!response.write(chunk)) return response.once('drain', write);
          }
          response.end();
        };
        response.on('close', () => (sent = Infinity));
        return write();
      }
      default:
        return page(404, '<h1>Introuvable</h1>');
    }
  };
}

/** An expired self-signed certificate for 127.0.0.1 / localhost (notAfter before now), made by openssl. */
export function expiredCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigie-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const csr = path.join(dir, 'req.csr');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        key,
        '-out',
        csr,
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    execFileSync('openssl', ['x509', '-req', '-in', csr, '-signkey', key, '-days', '-1', '-out', cert], { stdio: 'ignore' });
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const state = { down: false, altFixed: false, hits: new Map<string, number>() };
  const server = http.createServer(handler(state));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tls = https.createServer(expiredCertificate(), handler(state));
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  const close = (s: http.Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections();
      s.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    expiredTlsUrl: `https://127.0.0.1:${(tls.address() as AddressInfo).port}`,
    state,
    async close() {
      await Promise.all([close(server), close(tls)]);
    },
  };
}
