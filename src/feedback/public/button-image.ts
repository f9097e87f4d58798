/**
 * The « Je donne mon avis » image button, light and dark, solid and outline, as SVG (200 × 56, text contrast ≥ 4.5:1).
 * The integration code gives it width, height and alt text.
 */
const THEMES = {
  clair: { plein: { bg: '#000091', fg: '#ffffff', border: '#000091' }, contour: { bg: '#ffffff', fg: '#000091', border: '#000091' } },
  sombre: { plein: { bg: '#8585f6', fg: '#161616', border: '#8585f6' }, contour: { bg: '#161616', fg: '#8585f6', border: '#8585f6' } },
} as const;

export type ImageTheme = keyof typeof THEMES;
export type ImageStyle = 'plein' | 'contour';

export function buttonSvg(theme: ImageTheme, style: ImageStyle): string {
  const c = THEMES[theme][style];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="56" viewBox="0 0 200 56" role="img" aria-labelledby="t"><title id="t">Je donne mon avis</title>
<rect x="1" y="1" width="198" height="54" rx="4" fill="${c.bg}" stroke="${c.border}" stroke-width="2"/>
<g fill="none" stroke="${c.fg}" stroke-width="2"><circle cx="28" cy="28" r="11"/><path d="M23 31c1.5 2.5 8.5 2.5 10 0"/></g>
<g fill="${c.fg}"><circle cx="24.5" cy="25" r="1.5"/><circle cx="31.5" cy="25" r="1.5"/></g>
<text x="48" y="33" fill="${c.fg}" font-family="Marianne, Arial, sans-serif" font-size="16" font-weight="700">Je donne mon avis</text>
</svg>`;
}
