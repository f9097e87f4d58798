import type { FastifyInstance } from 'fastify';

/**
 * The GET route patterns of the server (e.g. `/catalogue/:id`), read from Fastify's route tree, so that a crawl can
 * tell "another procedure page" from "another page": new modules' routes are picked up without any list to maintain.
 */
export function getRoutePatterns(app: FastifyInstance): string[] {
  const tree = app.printRoutes({ commonPrefix: false, method: 'GET' });
  const stack: string[] = [];
  const patterns: string[] = [];
  for (const line of tree.split('\n')) {
    const marker = line.search(/[└├]── /);
    if (marker < 0) continue;
    const depth = marker / 4;
    const rest = line.slice(marker + 4);
    const open = rest.lastIndexOf(' (');
    const segment = open >= 0 ? rest.slice(0, open) : rest;
    stack.length = depth;
    stack.push(segment);
    if (open >= 0 && /\bGET\b/.test(rest.slice(open))) patterns.push(stack.join('').replace(/\/{2,}/g, '/'));
  }
  return [...new Set(patterns)];
}

function patternRegex(pattern: string): RegExp {
  const source = pattern
    .split(/(:[A-Za-z0-9_]+)/)
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}/?$`);
}

/**
 * Finds the route a path belongs to, preferring static routes (fewest parameters) as the router does.
 * Wildcard routes (static files, catch-alls) are left out: they would swallow every page into one pattern.
 */
export function routeMatcher(patterns: string[]): (pathname: string) => string | null {
  const compiled = patterns
    .filter((pattern) => !pattern.includes('*'))
    .map((pattern) => ({ pattern, regex: patternRegex(pattern), params: (pattern.match(/:/g) ?? []).length }))
    .sort((a, b) => a.params - b.params || b.pattern.length - a.pattern.length);
  return (pathname) => compiled.find((c) => c.regex.test(pathname))?.pattern ?? null;
}
