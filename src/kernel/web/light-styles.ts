import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

/**
 * The light stylesheet of bare pages (public questionnaire): DSFR core and only the components those pages use, in
 * one file compressed once at the highest level, so that a first visit stays under its size budget (docs/feedback.md).
 * Only the regular Marianne face is declared: each face is a ~41 KB download and three faces alone would exceed the
 * budget; the browser draws bold and medium text from the regular face.
 */
export const LIGHT_COMPONENTS = ['link', 'button', 'form', 'radio', 'checkbox', 'input', 'stepper', 'alert', 'footer', 'logo', 'skiplink'];
export const LIGHT_STYLES_PREFIX = '/assets/light/';
/** The name of a light stylesheet under the prefix: its content hash (16 hexadecimal digits, see build) and `.css`. */
export const LIGHT_STYLES_FILE = /^[0-9a-f]{16}\.css$/;

const require = createRequire(import.meta.url);
const dsfrDist = path.join(path.dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
const ownCss = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets', 'vigie.css');
const KEPT_FONT_FACE = /font-family:Marianne;font-style:normal;font-weight:400;/;

export interface LightStyles {
  /** Versioned URL (content hash): the file can be cached for good. */
  href: string;
  css: Buffer;
}

/** Rewrites the relative url(…) of a DSFR file to absolute paths under /assets/dsfr: the file now lives elsewhere. */
function absoluteUrls(css: string, fileUrlPath: string): string {
  return css.replace(/url\((["']?)([^)"']+)\1\)/g, (whole, quote: string, target: string) => {
    if (/^(data:|\/|[a-z]+:)/i.test(target)) return whole;
    return `url(${quote}${new URL(target, `http://x${fileUrlPath}`).pathname}${quote})`;
  });
}

function onlyRegularFontFace(css: string): string {
  return css.replace(/@font-face\{[^}]*\}/g, (rule) => (KEPT_FONT_FACE.test(rule) ? rule : ''));
}

function build(components: string[], icons: string[] = []): LightStyles {
  const part = (relative: string) => absoluteUrls(readFileSync(path.join(dsfrDist, relative), 'utf8'), `/assets/dsfr/${relative}`);
  const iconsCss = icons.length ? part('utility/icons/icons.min.css') : '';
  const text = [
    onlyRegularFontFace(part('core/core.main.min.css')),
    ...components.map((name) => part(`component/${name}/${name}.main.min.css`)),
    // Only the icons the pages use, instead of the 30 KB (compressed) icons stylesheet.
    ...icons.map((icon) => new RegExp(`\\.${icon}:after,\\.${icon}:before\\{[^}]*\\}`).exec(iconsCss)?.[0] ?? ''),
    readFileSync(ownCss, 'utf8'),
  ].join('\n');
  const css = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 16);
  return { href: `${LIGHT_STYLES_PREFIX}${hash}.css`, css };
}

let styles: LightStyles | null = null;
export function lightStyles(): LightStyles {
  styles ??= build(LIGHT_COMPONENTS);
  return styles;
}

/**
 * The light stylesheet of the public observatoire pages (layout `styles: 'public'`): the components those pages and
 * the header use, the header's three icons, the regular face only. With the DSFR script (modals, menu) the first visit
 * stays under 150 KB (issue 10, observatoire/browser/first-visit-weight.test.ts) instead of about 300 KB.
 */
export const PUBLIC_COMPONENTS = [
  'link',
  'button',
  'form',
  'input',
  'select',
  'badge',
  'alert',
  'notice',
  'footer',
  'logo',
  'skiplink',
  'header',
  'navigation',
  'breadcrumb',
  'table',
  'modal',
  'pagination',
  'card',
];
const PUBLIC_ICONS = ['fr-icon-lock-line', 'fr-icon-account-circle-line', 'fr-icon-logout-box-r-line'];

let publicSet: LightStyles | null = null;
export function publicStyles(): LightStyles {
  publicSet ??= build(PUBLIC_COMPONENTS, PUBLIC_ICONS);
  return publicSet;
}

/** The light stylesheet served at this address (either set), or null. */
export function lightStylesAt(href: string): LightStyles | null {
  if (href === lightStyles().href) return lightStyles();
  if (href === publicStyles().href) return publicStyles();
  return null;
}

// Across servers: nothing to invalidate, like the stylesheets themselves (built from files shipped with the release).
const compressed = new WeakMap<LightStyles, { br?: Buffer; gzip?: Buffer }>();
/** The stylesheet compressed once (brotli 11 / gzip 9: too slow per request, fine once per process). */
export function compressedLightStyles(encoding: 'br' | 'gzip', set: LightStyles = lightStyles()): Buffer {
  const { css } = set;
  let done = compressed.get(set);
  if (!done) compressed.set(set, (done = {}));
  if (encoding === 'br') {
    done.br ??= brotliCompressSync(css, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: 11,
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        [zlib.BROTLI_PARAM_SIZE_HINT]: css.length,
      },
    });
    return done.br;
  }
  done.gzip ??= gzipSync(css, { level: 9 });
  return done.gzip;
}
