import { html, type SafeHtml } from '../../kernel/web/html.ts';
import { COLOUR_LABELS, type IndicatorRules, type RuleSet } from '../rules/model.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import { formatValue, levelBadge } from './cells.ts';
import { isEnteredByHand, manualFallbackSlugs } from '../sources/manual-values.ts';

/** When a live source still takes the value entered by hand, per source. */
const FALLBACK_CASES: Record<string, string> = {
  accessibility: 'Pour une démarche qui n’a pas encore de déclaration publiée dans Vigie',
  monitoring: 'Pour une démarche dont Vigie n’a encore rien mesuré sur la période',
};
const SOURCE_MODULES: Record<string, string> = {
  support: 'les volumes des centres de contact',
  monitoring: 'la supervision',
  accessibility: 'le suivi des déclarations d’accessibilité',
  feedback: 'le bouton « Je donne mon avis »',
};

/**
 * An indicator's method, honest about its source: an indicator whose measuring module is not running yet says that its
 * values are entered by the administrations (marked manual), and gives the planned method as planned, not as fact.
 */
export function methodBlock(d: IndicatorDefinition): SafeHtml {
  if (d.source !== 'manual' && isEnteredByHand(d)) {
    return html`<h3 class="fr-h6">Source</h3><p><strong>Saisie manuelle.</strong> Cet indicateur n’est pas encore mesuré automatiquement
(${SOURCE_MODULES[d.source] ?? d.source} n’est pas en service) : ses valeurs sont déclarées par les administrations, par saisie ou import,
et publiées comme saisies manuelles. Sans valeur déclarée, il est « À venir ».</p>
<h3 class="fr-h6">Méthode prévue</h3><p>${d.method}</p>`;
  }
  if (manualFallbackSlugs().has(d.slug)) {
    return html`<h3 class="fr-h6">Méthode</h3><p>${d.method}</p>
<h3 class="fr-h6">Source</h3><p>Mesuré par ${SOURCE_MODULES[d.source] ?? d.source}. ${FALLBACK_CASES[d.source] ?? 'Pour une démarche que Vigie ne mesure pas encore'},
la valeur déclarée par l’administration (saisie ou import) est reprise : c’est alors une <strong>saisie manuelle</strong>,
marquée « saisie manuelle » à côté de la valeur dans le tableau et sur la fiche de la démarche, et dans les exports.</p>`;
  }
  return html`<h3 class="fr-h6">Méthode</h3><p>${d.method}</p>`;
}

/** The help page section of an indicator; `version` pins the rule set (a published edition's frozen levels). */
export function helpHref(slug: string, version?: number | null): string {
  return `/observatoire/aide/indicateurs${version ? `?regles=${version}` : ''}#indicateur-${slug}`;
}

export function helpModalId(slug: string): string {
  return `aide-indicateur-${slug}`;
}

/** An indicator's levels: label (badge), colour in words, threshold or values covered, goal; then the gray states. */
export function levelsList(def: IndicatorDefinition, r: IndicatorRules | undefined, rules: RuleSet): SafeHtml {
  if (!r) return html``;
  if (r.informative) return html`<p>Indicateur informatif : la valeur est affichée sans niveau ni objectif.</p>`;
  const sorted = r.kind === 'number' ? [...r.levels].sort((a, b) => (b.from ?? 0) - (a.from ?? 0)) : r.levels;
  return html`<ul>${sorted.map((l) => html`<li>${levelBadge(l)} (${COLOUR_LABELS[l.colour].toLowerCase()})${r.kind === 'number' ? ` à partir de ${formatValue(def.unit, l.from ?? 0) || l.from}` : ''}${l.goal ? ' – objectif atteint' : ''}</li>`)}
  <li>${levelBadge({ label: rules.grayLabels.a_venir, colour: 'gray' })} ${levelBadge({ label: rules.grayLabels.none, colour: 'gray' })} non mesuré, jamais compté dans les scores</li></ul>`;
}

/**
 * The header control of an indicator's column: a link to its help section, which `assets/help-modal.js` turns into
 * the DSFR button opening the indicator's modal (rendered once per page by `indicatorHelpModals`).
 */
export function helpControl(def: IndicatorDefinition, version: number | null, withModal: boolean): SafeHtml {
  return html`<a class="obs-help-link" href="${helpHref(def.slug, version)}"${withModal ? html` data-obs-modal="${helpModalId(def.slug)}"` : ''}>Aide<span class="fr-sr-only"> : ${def.label}</span></a>`;
}

const number = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 });

/** A threshold in the indicator's unit, in words (« 8 sur 10 », « 85 % », « 0,4 s »). */
function threshold(unit: IndicatorDefinition['unit'], n: number): string {
  switch (unit) {
    case 'score10':
      return `${number.format(n)} sur 10`;
    case 'percent':
      return `${number.format(n)} %`;
    case 'ms':
      return `${number.format(n / 1000)} s`;
    default:
      return number.format(n);
  }
}

/**
 * What reaches the goal, in words, written from the rule set (never typed by hand): « 8 sur 10 ou plus », « moins de
 * 0,4 s », « « Oui » ou « Démarche proactive » »; null for an informative indicator or one without a goal level.
 */
export function goalPhrase(def: IndicatorDefinition, r: IndicatorRules | undefined): string | null {
  if (!r || r.informative) return null;
  if (r.kind === 'category') {
    const labels = r.levels.filter((l) => l.goal && l.colour !== 'gray').map((l) => `« ${l.label} »`);
    return labels.length ? labels.join(' ou ') : null;
  }
  // Each level covers [from, next level's from); the goal is the union of the goal levels' ranges.
  const sorted = r.levels.filter((l) => l.from !== undefined).sort((a, b) => a.from! - b.from!);
  const ranges: { lo: number; hi: number | undefined }[] = [];
  sorted.forEach((l, i) => {
    if (!l.goal || l.colour === 'gray') return;
    const hi = sorted[i + 1]?.from;
    const last = ranges[ranges.length - 1];
    if (last && last.hi === l.from) last.hi = hi;
    else ranges.push({ lo: l.from!, hi });
  });
  if (ranges.length === 0) return null;
  const floor = r.min ?? 0;
  return ranges
    .map(({ lo, hi }) => {
      if (hi === undefined)
        return r.max !== undefined && lo >= r.max
          ? threshold(def.unit, lo)
          : lo <= floor
            ? 'toute valeur'
            : `${threshold(def.unit, lo)} ou plus`;
      return lo <= floor ? `moins de ${threshold(def.unit, hi)}` : `de ${threshold(def.unit, lo)} à moins de ${threshold(def.unit, hi)}`;
    })
    .join(' ou ');
}

/** « Objectif : … . » from the rule set: a threshold changed in the rules changes every help page and modal at once. */
export function goalSentence(def: IndicatorDefinition, r: IndicatorRules | undefined): string {
  if (!r || r.informative) return 'Indicateur informatif : pas d’objectif.';
  const phrase = goalPhrase(def, r);
  return phrase ? `Objectif : ${phrase}.` : 'Pas d’objectif.';
}

/** The goal sentence of the rules shown, then the indicator's own complement of help (optional, typed by the team). */
export function goalHelp(def: IndicatorDefinition, rules: RuleSet): SafeHtml {
  return html`<p><strong>${goalSentence(def, rules.indicators[def.slug])}</strong>${def.help ? html` ${def.help}` : ''}</p>`;
}

/** One DSFR modal per indicator (not per row): description, method and levels of the given rule set version. */
export function indicatorHelpModals(defs: IndicatorDefinition[], rules: RuleSet): SafeHtml {
  return html`<div class="obs-help-modals">${defs.map((d) => {
    const id = helpModalId(d.slug);
    return html`<dialog id="${id}" class="fr-modal" aria-labelledby="${id}-titre">
  <div class="fr-container fr-container--fluid fr-container-md"><div class="fr-grid-row fr-grid-row--center"><div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
    <div class="fr-modal__body">
      <div class="fr-modal__header"><button type="button" class="fr-btn--close fr-btn" aria-controls="${id}" title="Fermer">Fermer</button></div>
      <div class="fr-modal__content">
        <h2 id="${id}-titre" class="fr-modal__title">${d.label}</h2>
        <p>${d.description}</p>
        ${methodBlock(d)}
        <h3 class="fr-h6">Niveaux (règles version ${rules.version})</h3>${levelsList(d, rules.indicators[d.slug], rules)}
        ${goalHelp(d, rules)}
        <p><a href="${helpHref(d.slug, rules.version)}">Page d’aide de l’indicateur</a></p>
      </div>
    </div>
  </div></div></div>
</dialog>`;
  })}</div>`;
}
