import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { SESSION_COOKIE } from '../../src/kernel/auth/session.ts';

/**
 * A browser-like HTTP client over `app.inject`: keeps cookies, reads the CSRF token from the last page,
 * and posts forms the way a browser does (application/x-www-form-urlencoded). CSRF tokens are bound to the session:
 * when the session cookie changes (sign-in, sign-out), the token known so far is dropped and a fresh one fetched.
 */
export class TestClient {
  private cookies = new Map<string, string>();
  lastCsrf: string | null = null;

  /** `remoteAddress` gives the client an IP of its own (rate limits are counted per IP). */
  constructor(
    private readonly app: FastifyInstance,
    private readonly options: { remoteAddress?: string } = {},
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(response: LightMyRequestResponse): LightMyRequestResponse {
    const session = this.cookies.get(SESSION_COOKIE);
    for (const c of response.cookies) {
      if (c.value === '' || (c.expires && new Date(c.expires).getTime() < Date.now()) || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    if (this.cookies.get(SESSION_COOKIE) !== session) {
      // A page answered with a new session was made for the old one: its token would be refused.
      this.lastCsrf = null;
      return response;
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(response.body);
    if (match) this.lastCsrf = match[1];
    return response;
  }

  /** Sets a cookie as if the server had (tests that sign in by creating a session directly). */
  setCookie(name: string, value: string): void {
    if (name === SESSION_COOKIE && this.cookies.get(name) !== value) this.lastCsrf = null;
    this.cookies.set(name, value);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.app.inject({
        method: 'GET',
        url,
        headers: { cookie: this.cookieHeader(), ...headers },
        remoteAddress: this.options.remoteAddress,
      }),
    );
  }

  /**
   * Fetches a CSRF token by visiting `from` (any page with a form) when none is known yet: by default the home page
   * when signed in (the header's sign-out form), the sign-in page otherwise.
   */
  async csrf(from?: string): Promise<string> {
    from ??= this.cookies.has(SESSION_COOKIE) ? '/' : '/connexion';
    if (!this.lastCsrf) await this.get(from);
    if (!this.lastCsrf && from === '/') await this.get((from = '/connexion'));
    if (!this.lastCsrf) throw new Error(`no CSRF token on ${from}`);
    return this.lastCsrf;
  }

  async post(
    url: string,
    fields: Record<string, string | string[]> = {},
    options: { csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    const params = new URLSearchParams();
    if (options.csrf !== false) params.append('_csrf', await this.csrf());
    for (const [key, value] of Object.entries(fields)) {
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
    }
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: params.toString(),
        remoteAddress: this.options.remoteAddress,
      }),
    );
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const opts = options as any;
    return this.remember(
      await this.app.inject({
        remoteAddress: this.options.remoteAddress,
        ...opts,
        headers: { cookie: this.cookieHeader(), ...(opts.headers ?? {}) },
      }),
    );
  }
}
