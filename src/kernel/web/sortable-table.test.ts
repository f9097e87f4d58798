import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html } from './html.ts';
import { sortHeader, sortableTable } from './sortable-table.ts';

const href = (key: string, order: string) => `/liste?tri=${key}&ordre=${order}`;
const squash = (s: string) => s.replace(/\s*\n\s*/g, '');

test('the active column: aria-sort, a visible arrow hidden from screen readers, a link to the other order', () => {
  assert.equal(
    squash(sortHeader('Intitulé', 'titre', { key: 'titre', order: 'asc' }, href).value),
    '<th scope="col" aria-sort="ascending"><a href="/liste?tri=titre&amp;ordre=desc">Intitulé<span aria-hidden="true"> ▲</span>' +
      '<span class="fr-sr-only"> (trié par ordre croissant), trier par ordre décroissant</span></a></th>',
  );
  assert.equal(
    squash(sortHeader('Intitulé', 'titre', { key: 'titre', order: 'desc' }, href).value),
    '<th scope="col" aria-sort="descending"><a href="/liste?tri=titre&amp;ordre=asc">Intitulé<span aria-hidden="true"> ▼</span>' +
      '<span class="fr-sr-only"> (trié par ordre décroissant), trier par ordre croissant</span></a></th>',
  );
});

test('another column: no aria-sort, a link to its first order (descending for figures when said)', () => {
  assert.equal(
    squash(sortHeader('Volume', 'volume', { key: 'titre', order: 'asc' }, href, 'desc').value),
    '<th scope="col"><a href="/liste?tri=volume&amp;ordre=desc">Volume<span class="fr-sr-only">, trier par ordre décroissant</span></a></th>',
  );
});

test('the table: DSFR wrapper and caption, sortable and plain headers, row headers, escaped cells', () => {
  const out = squash(
    sortableTable({
      caption: 'Démarches',
      wrapperClass: 'fr-table--no-caption',
      rows: [{ title: 'Carte <grise>', volume: 12 }],
      sort: { key: 'volume', order: 'desc' },
      href,
      rowHeader: true,
      columns: [
        { label: 'Intitulé', sortKey: 'titre', cell: (r) => r.title },
        { label: 'Volume', sortKey: 'volume', cell: (r) => r.volume, cellClass: 'vigie-nowrap' },
        { label: 'Lien', cell: () => html`<a href="/x">voir</a>` },
      ],
    }).value,
  );
  assert.equal(
    out,
    '<div class="fr-table fr-table--no-caption"><table><caption>Démarches</caption><thead><tr>' +
      '<th scope="col"><a href="/liste?tri=titre&amp;ordre=asc">Intitulé<span class="fr-sr-only">, trier par ordre croissant</span></a></th>' +
      '<th scope="col" aria-sort="descending"><a href="/liste?tri=volume&amp;ordre=asc">Volume<span aria-hidden="true"> ▼</span><span class="fr-sr-only"> (trié par ordre décroissant), trier par ordre croissant</span></a></th>' +
      '<th scope="col">Lien</th>' +
      '</tr></thead><tbody><tr><th scope="row">Carte &lt;grise&gt;</th><td class="vigie-nowrap">12</td><td><a href="/x">voir</a></td></tr></tbody></table></div>',
  );
});
