/** Where a person lands after signing in without a page to go back to: « Mes démarches » (src/workspace). */
export const AFTER_SIGN_IN = '/mes-demarches';

/**
 * Where to send the user after signing in: only a path of this site. Anything that a browser could read as
 * another origin (`//host`, `/\host`, `https:…`, control characters) falls back to the default.
 */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this check refuses
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  try {
    const url = new URL(value, 'http://vigie.invalid');
    if (url.origin !== 'http://vigie.invalid') return fallback;
    const path = url.pathname + url.search + url.hash;
    // Normalising can turn `/.//host` or `/a/..//host` into `//host`, which a browser reads as another origin.
    return path.startsWith('//') ? fallback : path;
  } catch {
    return fallback;
  }
}

export function loginUrl(returnTo: string): string {
  return `/connexion?retour=${encodeURIComponent(returnTo)}`;
}
