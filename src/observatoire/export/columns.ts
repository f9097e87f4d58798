import type { Edition } from '../editions/drafts.ts';
import type { IndicatorDefinition } from '../rules/repository.ts';
import type { TableRow } from '../table/query.ts';
import { rawOut } from '../api/serialize.ts';
import type { CellStatistic } from '../statistics/edition-statistics.ts';

/** Indicators whose values may carry a 95 % interval (docs/statistics.md). */
const withInterval = (d: IndicatorDefinition) => d.unit === 'score10' || d.unit === 'percent';

export interface ExportColumn {
  key: string;
  description: string;
}

/** The documented columns of every export (CSV, XLSX): the procedure, then five columns per indicator (four more for those with an interval). */
export function exportColumns(defs: IndicatorDefinition[]): ExportColumn[] {
  return [
    { key: 'edition_id', description: "Identifiant de l'édition" },
    { key: 'edition', description: "Nom de l'édition" },
    { key: 'identifiant_stable', description: 'Identifiant stable de la démarche (suit la démarche d’une édition à l’autre)' },
    { key: 'demarche', description: 'Titre de la démarche à la publication' },
    { key: 'url', description: 'Adresse de la démarche en ligne' },
    { key: 'ministere_id', description: 'Identifiant du ministère' },
    { key: 'ministere', description: 'Ministère' },
    { key: 'administration_id', description: "Identifiant de l'administration" },
    { key: 'administration', description: 'Administration' },
    { key: 'categories_usagers', description: "Catégories d'usagers, séparées par « | »" },
    ...defs.flatMap((d) => [
      {
        key: `${d.slug}_valeur`,
        description: `${d.label} : valeur brute (nombre avec un point décimal, catégorie, ou état : a_venir, avis_insuffisants, non_applicable ; vide si aucune valeur)`,
      },
      { key: `${d.slug}_niveau`, description: `${d.label} : libellé du niveau` },
      { key: `${d.slug}_couleur`, description: `${d.label} : couleur du niveau (green, yellow, red, blue, gray)` },
      { key: `${d.slug}_objectif_atteint`, description: `${d.label} : true si l'objectif est atteint, false sinon, vide si non mesuré` },
      {
        key: `${d.slug}_saisie_manuelle`,
        description: `${d.label} : true si la valeur a été saisie à la main par l'administration faute de mesure (pas de déclaration d'accessibilité publiée, démarche non surveillée), false sinon (et pour les éditions publiées avant cette marque)`,
      },
      ...(withInterval(d)
        ? [
            {
              key: `${d.slug}_ic95_bas`,
              description: `${d.label} : borne basse de l'intervalle de confiance à 95 % (Wilson pour une part, Student pour une note), vide si inconnue`,
            },
            { key: `${d.slug}_ic95_haut`, description: `${d.label} : borne haute de l'intervalle de confiance à 95 %, vide si inconnue` },
            { key: `${d.slug}_n`, description: `${d.label} : nombre de réponses sur lequel repose la valeur, vide si inconnu` },
            { key: `${d.slug}_incertain`, description: `${d.label} : true si l'intervalle chevauche un seuil de niveau, vide si inconnu` },
          ]
        : []),
    ]),
  ];
}

export function exportRecord(
  edition: Edition,
  defs: IndicatorDefinition[],
  row: TableRow,
  stats?: Map<string, CellStatistic>,
): (string | number | boolean | null)[] {
  const p = row.procedure;
  const out: (string | number | boolean | null)[] = [
    edition.id,
    edition.name,
    p.stableId,
    p.title,
    p.url,
    p.ministryId,
    p.ministryName,
    p.administrationId,
    p.administrationName,
    p.userCategories.join('|'),
  ];
  for (const d of defs) {
    const c = row.values[d.slug];
    out.push(c ? rawOut(d, c.raw) : null, c?.label ?? null, c?.colour ?? null, c ? c.goal : null, c ? c.enteredByHand === true : null);
    if (withInterval(d)) {
      const s = stats?.get(d.slug);
      out.push(s ? s.lower : null, s ? s.upper : null, s ? s.n : null, s ? s.uncertain : null);
    }
  }
  return out;
}
