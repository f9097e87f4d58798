import { html, type SafeHtml } from '../../../kernel/web/html.ts';
import type { ButtonRow } from '../../forms/queries.ts';

/** Copy-ready integration code of a button: a plain link, an image button, the accessible modal widget. */
export function integrationSnippets(publicUrl: string, button: ButtonRow): { label: string; code: string }[] {
  const href = `${publicUrl}/avis/b/${button.publicKey}`;
  const image = (theme: 'clair' | 'sombre', style: 'plein' | 'contour') =>
    `<a href="${href}"><img src="${publicUrl}/avis/bouton.svg?theme=${theme}&amp;style=${style}" width="200" height="56" alt="Je donne mon avis"></a>`;
  return [
    { label: 'Lien simple', code: `<a href="${href}">Je donne mon avis</a>` },
    { label: 'Bouton image (clair, plein)', code: image('clair', 'plein') },
    { label: 'Bouton image (clair, contour)', code: image('clair', 'contour') },
    { label: 'Bouton image (sombre, plein)', code: image('sombre', 'plein') },
    { label: 'Bouton image (sombre, contour)', code: image('sombre', 'contour') },
    {
      label: 'Fenêtre modale accessible (le lien reste utilisable sans JavaScript)',
      code: `<a href="${href}" data-vigie-avis>Je donne mon avis</a>\n<script src="${publicUrl}/avis/widget.js" defer></script>`,
    },
  ];
}

export function integrationBlock(publicUrl: string, button: ButtonRow): SafeHtml {
  return html`${integrationSnippets(publicUrl, button).map(
    (s, i) => html`<div class="fr-input-group">
  <label class="fr-label" for="code-${button.id}-${i}">${s.label}</label>
  <textarea class="fr-input" id="code-${button.id}-${i}" rows="${s.code.includes('\n') ? 3 : 2}" readonly>${s.code}</textarea>
</div>`,
  )}`;
}
