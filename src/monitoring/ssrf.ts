import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupAllOptions, LookupOneOptions } from 'node:dns';

/**
 * Server-side request forgery guard (issue 13). A monitored URL must be http(s) and every address its host resolves to
 * must be public: loopback, private, link-local (the 169.254.169.254 metadata service among them), shared, reserved,
 * multicast and their IPv6 equivalents (::1, fc00::/7, fe80::/10, IPv4-mapped and NAT64/6to4 embeddings) are refused,
 * unless an explicitly allowed range (setting MONITORING_ALLOWED_RANGES) contains the address.
 *
 * Checked twice: when a target is created (`checkTargetUrl`), and at connection time through `guardedLookup`, the
 * `lookup` given to every probe's socket, so a name that resolved to a public address yesterday and to 127.0.0.1 now
 * (DNS rebinding) is refused before the connection is opened. An IP literal never goes through a lookup: the prober
 * calls `checkAddress` on it before connecting.
 */

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The system resolver (getaddrinfo, /etc/hosts included), every address. */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses as LookupAddress[]),
    ),
  );

const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], // « this network »
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const BLOCKED_V6: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo among them)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const blocked = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of BLOCKED_V6) blocked.addSubnet(net, prefix, 'ipv6');

/** Ranges an operator allows (tests: 127.0.0.0/8), as a BlockList used as an allow list. */
export interface AllowedRanges {
  list: BlockList;
  text: string[];
}

/** Parses « 127.0.0.0/8, fd00::/8 » (CIDR ranges, or single addresses); throws a French message on a bad range. */
export function parseAllowedRanges(value: string | string[] | undefined): AllowedRanges {
  const list = new BlockList();
  const parts = (Array.isArray(value) ? value : (value ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
  for (const part of parts) {
    const [address, prefixText] = part.split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`plage d’adresses invalide : « ${part} » (exemple : 127.0.0.0/8)`);
    const max = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max)
      throw new Error(`plage d’adresses invalide : « ${part} » (exemple : 127.0.0.0/8)`);
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return { list, text: parts };
}

export const NO_ALLOWED_RANGES: AllowedRanges = parseAllowedRanges('');

/** The IPv4 address an IPv6 address carries (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16), or null. */
export function embeddedIPv4(address: string): string | null {
  const groups = expandIPv6(address);
  if (!groups) return null;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6], groups[7]); // ::ffff:a.b.c.d
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6], groups[7]); // NAT64
  if (groups[0] === 0x2002) return v4(groups[1], groups[2]); // 6to4
  return null;
}

/** The eight 16-bit groups of an IPv6 address (a dotted IPv4 tail included), or null. */
function expandIPv6(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.split('%')[0].toLowerCase();
  const dotted = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = text.slice(0, -dotted[0].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  const groups = [...h, ...fill, ...t].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/** Why an address may not be probed, or null when it is public (or in an allowed range). */
export function addressRefusal(address: string, allowed: AllowedRanges = NO_ALLOWED_RANGES): string | null {
  const family = isIP(address);
  if (family === 0) return `adresse IP invalide : ${address}`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (allowed.list.check(address, type)) return null;
  if (family === 6) {
    const inner = embeddedIPv4(address);
    if (inner !== null) {
      if (allowed.list.check(inner, 'ipv4')) return null;
      if (blocked.check(inner, 'ipv4')) return `adresse non publique : ${address} (${inner})`;
      // ::ffff:8.8.8.8 is 8.8.8.8: public.
      return null;
    }
  }
  return blocked.check(address, type) ? `adresse non publique : ${address}` : null;
}

/** The error every refusal throws: the prober classes it « forbidden », the forms show its message. */
export class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDENADDRESS';
  constructor(message: string) {
    super(message);
    this.name = 'ForbiddenAddressError';
  }
}

/** Throws ForbiddenAddressError when the address may not be probed. */
export function checkAddress(address: string, allowed: AllowedRanges = NO_ALLOWED_RANGES): void {
  const refusal = addressRefusal(address, allowed);
  if (refusal) throw new ForbiddenAddressError(refusal);
}

/** The host of a URL as the resolver wants it (IPv6 literals without their brackets). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** The first refusal among the addresses a name resolves to (one non-public address is enough), or null. */
function firstRefusal(addresses: { address: string }[], allowed: AllowedRanges): string | null {
  for (const { address } of addresses) {
    const refusal = addressRefusal(address, allowed);
    if (refusal) return refusal;
  }
  return null;
}

/** Why a host may not be reached: an IP literal refused as such, a name designating a refused address, or a name that does not resolve. */
export type HostRefusal = { kind: 'literal' | 'name'; refusal: string } | { kind: 'unresolved' };

/**
 * Checks a host (as `hostOf` gives it): an IP literal by itself, a name by every address `resolver` gives for it, none
 * of which may be refused. Null when the host may be reached. The one check of a host before a request is made, for
 * the targets' forms (`targetUrlRefusal`) and the requests of the scanner's browser (`browserRequestRefusal`); the
 * connections themselves check again (`guardedLookup`).
 */
export async function hostRefusal(
  host: string,
  allowed: AllowedRanges = NO_ALLOWED_RANGES,
  resolver: Resolver = systemResolver,
): Promise<HostRefusal | null> {
  if (isIP(host)) {
    const refusal = addressRefusal(host, allowed);
    return refusal ? { kind: 'literal', refusal } : null;
  }
  let addresses: { address: string }[];
  try {
    addresses = await resolver(host);
  } catch {
    return { kind: 'unresolved' };
  }
  if (addresses.length === 0) return { kind: 'unresolved' };
  const refusal = firstRefusal(addresses, allowed);
  return refusal ? { kind: 'name', refusal } : null;
}

/**
 * Checks a target URL when it is created or edited: syntax, http(s), no credentials, and every address of its host.
 * Returns the French reason of a refusal, or null.
 */
export async function targetUrlRefusal(
  text: string,
  allowed: AllowedRanges = NO_ALLOWED_RANGES,
  resolver: Resolver = systemResolver,
): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'L’adresse n’est pas une URL valide (exemple : https://www.demarches.gouv.fr/).';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Seules les adresses http ou https peuvent être surveillées.';
  if (url.username || url.password) return 'L’adresse ne doit pas contenir d’identifiant ni de mot de passe.';
  const host = hostOf(url);
  const refused = await hostRefusal(host, allowed, resolver);
  if (!refused) return null;
  if (refused.kind === 'unresolved') return `Le nom « ${host} » ne se résout pas : vérifiez l’adresse.`;
  if (refused.kind === 'literal') return `Cette adresse ne peut pas être surveillée (${refused.refusal}).`;
  return `Cette adresse ne peut pas être surveillée : « ${host} » désigne ${refused.refusal}.`;
}

/**
 * Checks a URL the scanner's browser asks for while it loads a page (the page, its resources, its redirects): data:,
 * blob: and about: stay in the browser; http(s) only, its host checked like a target's. Returns the reason noted in the
 * scan (« blocked:… »), or null. `cache` keeps each host's answer for the page, so a host is resolved once a page.
 */
export async function browserRequestRefusal(
  url: URL,
  allowed: AllowedRanges = NO_ALLOWED_RANGES,
  resolver: Resolver = systemResolver,
  cache: Map<string, string | null> = new Map(),
): Promise<string | null> {
  if (url.protocol === 'data:' || url.protocol === 'blob:' || url.protocol === 'about:') return null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `protocole refusé : ${url.protocol}`;
  const host = hostOf(url);
  if (cache.has(host)) return cache.get(host)!;
  const refused = await hostRefusal(host, allowed, resolver);
  const refusal = !refused ? null : refused.kind === 'unresolved' ? `nom introuvable : ${host}` : refused.refusal;
  cache.set(host, refusal);
  return refusal;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for sockets (http.request / https.request / net.connect option): resolves with `resolver`, refuses the
 * connection when ANY address is not public, then answers like dns.lookup (one address, or all with `all: true`).
 */
export function guardedLookup(allowed: AllowedRanges = NO_ALLOWED_RANGES, resolver: Resolver = systemResolver) {
  return function lookup(
    hostname: string,
    options: LookupOneOptions | LookupAllOptions | number | LookupCallback,
    callback?: LookupCallback,
  ): void {
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts = typeof options === 'object' ? options : {};
    resolver(hostname).then(
      (addresses) => {
        const family = typeof options === 'number' ? options : (opts as { family?: number }).family;
        const wanted = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
        if (wanted.length === 0) {
          const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
            code: 'ENOTFOUND',
            hostname,
          });
          return cb(error, '');
        }
        const refusal = firstRefusal(addresses, allowed);
        if (refusal) return cb(new ForbiddenAddressError(`« ${hostname} » désigne ${refusal}`), '');
        if ((opts as { all?: boolean }).all) cb(null, wanted as LookupAddress[]);
        else cb(null, wanted[0].address, wanted[0].family);
      },
      (error: NodeJS.ErrnoException) => cb(error, ''),
    );
  };
}
