import { html, join, type SafeHtml } from '../../kernel/web/html.ts';
import { AUDIT_TYPE_LABELS, type Referential } from '../rgaa/referential.ts';

/**
 * The RGAA's inline Markdown as HTML: glossary links `[texte](#ancre)` keep their text (the glossary is not on this page),
 * `code` spans become <code>; everything else is escaped. The referential uses no other Markdown in titles and tests.
 */
export function inlineMarkdown(text: string): SafeHtml {
  const plain = text.replace(/\[([^\]]*)\]\(#[a-z0-9-]+\)/g, '$1');
  const parts = plain.split('`');
  // Odd indexes are inside backticks.
  return join(parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : html`${part}`)));
}

/** The public page listing every theme, criterion and test of the referential. */
export function referentialPage(rgaa: Referential): SafeHtml {
  const fast = new Set(rgaa.auditCriteria('fast'));
  const complementary = new Set(rgaa.auditCriteria('complementary'));
  const testsCount = rgaa.criteria.reduce((n, c) => n + c.tests.length, 0);
  return html`<h1>Référentiel RGAA ${rgaa.version}</h1>
<p class="fr-text--lead">Les ${rgaa.themes.length} thématiques, ${rgaa.criteria.length} critères et ${testsCount} tests du
référentiel général d’amélioration de l’accessibilité, sur lesquels portent les audits de Vigie.</p>
<p>Un ${AUDIT_TYPE_LABELS.fast.toLowerCase()} porte sur ${fast.size} critères, un ${AUDIT_TYPE_LABELS.complementary.toLowerCase()}
sur ${complementary.size}, un ${AUDIT_TYPE_LABELS.full.toLowerCase()} sur les ${rgaa.criteria.length}.</p>
<p>Source : <a href="https://accessibilite.numerique.gouv.fr/methode/criteres-et-tests/">RGAA ${rgaa.version}, DINUM</a>,
sous <a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence">Licence Ouverte 2.0</a>.</p>
<nav class="fr-summary" role="navigation" aria-labelledby="rgaa-sommaire">
  <h2 class="fr-summary__title" id="rgaa-sommaire">Thématiques</h2>
  <ol>
    ${rgaa.themes.map((t) => html`<li><a class="fr-summary__link" href="#thematique-${t.number}">${t.number}. ${t.title}</a></li>`)}
  </ol>
</nav>
${rgaa.themes.map(
  (t) => html`<section aria-labelledby="thematique-${t.number}">
  <h2 id="thematique-${t.number}">${t.number}. ${t.title}</h2>
  <ul class="fr-raw-list">
    ${t.criteria.map(
      (c) => html`<li class="fr-mb-3w" id="critere-${c.id}">
      <h3 class="fr-h6 fr-mb-1w">Critère ${c.id}</h3>
      <p class="fr-mb-1w">${inlineMarkdown(c.title)}</p>
      <p class="fr-mb-1w">
        <span class="fr-badge fr-badge--sm">Niveau ${c.level}</span>
        ${fast.has(c.id) ? html`<span class="fr-badge fr-badge--sm fr-badge--info">${AUDIT_TYPE_LABELS.fast}</span>` : ''}
        ${!fast.has(c.id) && complementary.has(c.id) ? html`<span class="fr-badge fr-badge--sm fr-badge--new">${AUDIT_TYPE_LABELS.complementary}</span>` : ''}
      </p>
      <details>
        <summary>Les ${c.tests.length} test${c.tests.length > 1 ? 's' : ''} du critère ${c.id}</summary>
        <ul>
          ${c.tests.map(
            (test) =>
              html`<li><strong>Test ${test.id}</strong> : ${inlineMarkdown(test.lines[0])}${
                test.lines.length > 1 ? html`<ul>${test.lines.slice(1).map((line) => html`<li>${inlineMarkdown(line)}</li>`)}</ul>` : ''
              }</li>`,
          )}
        </ul>
      </details>
    </li>`,
    )}
  </ul>
</section>`,
)}`;
}
