import { intervalText } from '../../../kernel/stats/index.ts';
import { html, type SafeHtml } from '../../../kernel/web/html.ts';
import { formatInteger } from '../../../kernel/web/format.ts';
import { sortableTable, type SortableColumn } from '../../../kernel/web/sortable-table.ts';
import type { FeedbackIndicatorKey, FeedbackIndicators, Window } from '../../analytics/indicators.ts';
import type { Granularity, SeriesPoint } from '../../analytics/series.ts';
import type { DashboardHead } from '../dashboard-data.ts';
import type { GroupSort, SortKey } from '../group-sort.ts';
import { indicatorsTable, one, periodSummary, seriesSection, windowFilter } from './dashboard-parts.ts';

export interface GroupRow {
  id: number;
  title: string;
  href: string;
  /** The procedure's administration, on the ministry dashboard (with a link when the user may open it). */
  administration?: { name: string; href: string | null };
  indicators: FeedbackIndicators;
}

export interface GroupDashboardData {
  level: 'administration' | 'ministry';
  /** The dashboard's own URL (filter and sort links). */
  path: string;
  name: string;
  /** The administration's ministry, linked when the user may open its dashboard. */
  ministry?: { name: string; href: string | null };
  window: Window;
  head: DashboardHead;
  granularity: Granularity;
  series: SeriesPoint[];
  procedures: GroupRow[];
  /** The ministry's administrations (ministry dashboard only). */
  administrations?: GroupRow[];
  sort: GroupSort;
}

const COLUMNS: {
  key: Exclude<SortKey, 'titre'>;
  label: string;
  value: (i: FeedbackIndicators) => string;
  estimate?: FeedbackIndicatorKey;
  unit?: string;
}[] = [
  { key: 'avis', label: 'Avis', value: (i) => formatInteger(i.reviews) },
  { key: 'satisfaction', label: 'Satisfaction', value: (i) => one(i.satisfaction, ' / 10'), estimate: 'satisfaction', unit: ' / 10' },
  { key: 'clarte', label: 'Clarté du langage', value: (i) => one(i.clarity, ' / 10'), estimate: 'clarity', unit: ' / 10' },
  { key: 'aide_joignable', label: 'Aide joignable', value: (i) => one(i.helpReachable, ' %'), estimate: 'helpReachable', unit: ' %' },
  { key: 'aide_efficace', label: 'Aide efficace', value: (i) => one(i.helpEfficient, ' / 10'), estimate: 'helpEfficient', unit: ' / 10' },
  { key: 'autonomie', label: 'Niveau d’autonomie', value: (i) => one(i.autonomy, ' %'), estimate: 'autonomy', unit: ' %' },
];

/** The 95 % interval and n under a value (docs/statistics.md). */
function interval(c: (typeof COLUMNS)[number], i: FeedbackIndicators): SafeHtml {
  const e = c.estimate ? i.estimates[c.estimate] : null;
  return e ? html`<br><span class="fr-text--xs">IC 95 % ${intervalText(e, c.unit)}, n = ${formatInteger(e.n)}</span>` : html``;
}

function insufficient(i: FeedbackIndicators, minimum: number): SafeHtml {
  return i.reviews < minimum ? html` <span class="fr-badge fr-badge--sm fr-badge--no-icon fr-badge--new">insuffisant</span>` : html``;
}

function proceduresTable(d: GroupDashboardData): SafeHtml {
  if (d.procedures.length === 0) return html`<p>Aucune démarche de ce périmètre n’a de formulaire d’avis.</p>`;
  const withAdministration = d.level === 'ministry';
  const columns: SortableColumn<GroupRow, SortKey>[] = [
    { label: 'Démarche', sortKey: 'titre', cell: (p) => html`<a href="${p.href}">${p.title}</a>` },
    ...(withAdministration
      ? [
          {
            label: 'Administration',
            cell: (p: GroupRow) =>
              p.administration?.href
                ? html`<a href="${p.administration.href}">${p.administration.name}</a>`
                : (p.administration?.name ?? ''),
          },
        ]
      : []),
    ...COLUMNS.map((c) => ({
      label: c.label,
      sortKey: c.key,
      cell: (p: GroupRow) =>
        html`${c.value(p.indicators)}${c.key === 'avis' ? insufficient(p.indicators, d.head.minimum) : interval(c, p.indicators)}`,
    })),
  ];
  return sortableTable<GroupRow, SortKey>({
    caption: `Démarches avec un formulaire d’avis (${formatInteger(d.procedures.length)}) et leurs indicateurs sur la période ; « insuffisant » : moins de ${formatInteger(d.head.minimum)} avis`,
    columns,
    rows: d.procedures,
    rowHeader: true,
    sort: d.sort,
    href: (key, order) =>
      `${d.path}?${new URLSearchParams({ debut: d.window.start, fin: d.window.end, tri: key, ordre: order }).toString()}#demarches`,
    firstOrder: (key) => (key === 'titre' ? 'asc' : 'desc'),
  });
}

function administrationsTable(d: GroupDashboardData): SafeHtml {
  const rows = d.administrations ?? [];
  if (rows.length === 0) return html`<p>Aucune administration de ce ministère n’a de démarche avec un formulaire d’avis.</p>`;
  return html`<div class="fr-table"><table>
  <caption>Administrations du ministère et leurs indicateurs sur la période</caption>
  <thead><tr><th scope="col">Administration</th>${COLUMNS.map((c) => html`<th scope="col">${c.label}</th>`)}</tr></thead>
  <tbody>${rows.map(
    (a) => html`<tr><th scope="row"><a href="${a.href}">${a.title}</a></th>
    ${COLUMNS.map((c) => html`<td>${c.value(a.indicators)}${c.key === 'avis' ? insufficient(a.indicators, d.head.minimum) : interval(c, a.indicators)}</td>`)}</tr>`,
  )}</tbody>
</table></div>`;
}

export function groupDashboardPage(d: GroupDashboardData): SafeHtml {
  const what = d.level === 'ministry' ? 'du ministère' : 'de l’administration';
  return html`<h1>Avis usagers : ${d.name}</h1>
${d.ministry ? html`<p>Ministère : ${d.ministry.href ? html`<a href="${d.ministry.href}">${d.ministry.name}</a>` : d.ministry.name}.</p>` : ''}
<p>Indicateurs de l’ensemble des avis des démarches ${what} : chaque valeur est calculée sur toutes les réponses de la période
(moyenne pondérée par le nombre de réponses, et non moyenne des moyennes des démarches). Boutons de test et formulaires « Signaler un problème » exclus.</p>
${windowFilter(d.path, d.window)}
${periodSummary(d.window, d.head.indicators, d.head.minimum)}
${indicatorsTable(d.head.lines)}
${seriesSection(d.series, d.granularity)}
${
  d.level === 'ministry'
    ? html`<h2>Administrations</h2>
${administrationsTable(d)}`
    : ''
}
<h2 id="demarches">Démarches</h2>
${proceduresTable(d)}`;
}
