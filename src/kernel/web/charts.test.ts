import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnChart, timeLineChart, timelineChart } from './charts.ts';

const rects = (svg: string) =>
  [...svg.matchAll(/<rect x="([^"]+)" y="([^"]+)" width="([^"]+)" height="([^"]+)" fill="([^"]+)"/g)].map((m) => m.slice(1));

test('columns: one per value, height in proportion to the maximum, a floor height, their colours, a titled image', () => {
  const svg = columnChart(
    'barres',
    'Disponibilité par jour',
    [{ value: 100, colour: '#18753c' }, { value: 50 }, { value: 0, colour: '#929292' }],
    {
      max: 100,
      plotHeight: 40,
      minHeight: 8,
      columnWidth: 4,
      width: 18,
      fixedSize: true,
    },
  ).value;
  assert.match(svg, /^<svg viewBox="0 0 18 40" width="18" height="40" role="img" aria-labelledby="barres-titre" focusable="false">/);
  assert.match(svg, /<title id="barres-titre">Disponibilité par jour<\/title>/);
  // 100 of 100 → 40 px from y 0; 50 → 20 px from y 20; 0 → the floor of 8 px from y 32; columns every 4 + 2 px.
  assert.deepEqual(rects(svg), [
    ['0', '0', '4', '40', '#18753c'],
    ['6', '20', '4', '20', '#000091'],
    ['12', '32', '4', '8', '#929292'],
  ]);
  assert.doesNotMatch(svg, /<line/);
});

test('columns with margins and a baseline, filling their container', () => {
  const svg = columnChart('graphique', 'Avis', [{ value: 3 }, { value: 6 }], {
    max: 6,
    plotHeight: 150,
    top: 10,
    bottom: 10,
    baseline: true,
    width: 640,
    columnWidth: 318,
    className: 'c',
  }).value;
  assert.match(svg, /^<svg class="c" viewBox="0 0 640 170" width="100%" height="170"/);
  assert.deepEqual(rects(svg), [
    ['0', '85', '318', '75', '#000091'],
    ['320', '10', '318', '150', '#000091'],
  ]);
  assert.match(svg, /<line x1="0" y1="160" x2="640" y2="160" stroke="#3a3a3a"><\/line>/);
});

test('a line over time with its launch marked', () => {
  // t from -2 to 2 over x 40…580; values out of 10 over y 150 (0) … 10 (10).
  const svg = timeLineChart(
    'effet',
    'Satisfaction par semaine',
    [
      { t: -2, value: 5 },
      { t: 2, value: 10 },
    ],
    { max: 10, marker: { t: 0, label: 'lancement' } },
  ).value;
  assert.match(svg, /<title id="effet-titre">Satisfaction par semaine<\/title>/);
  assert.match(svg, /<path d="M40.0,80.0 L580.0,10.0" fill="none" stroke="#000091" stroke-width="2"><\/path>/);
  assert.match(svg, /<line x1="310" y1="10" x2="310" y2="150" stroke="#ce0500" stroke-dasharray="4 3"><\/line>/);
  assert.match(svg, /<text x="314" y="22" font-size="12" fill="#3a3a3a">lancement<\/text>/);
});

test('a timeline: one row per item, its dated marks placed by day, a line from its first date to its last, the years and today', () => {
  // Dates from 2025-12-17 (today) to 2026-03-17, 15 days either side: 2025-12-02 … 2026-04-01, 120 days over x 260…890,
  // 5.25 px a day. 2025-12-17 → 260 + 15 × 5.25 = 338.75; 2026-01-01 → 260 + 30 × 5.25 = 417.5;
  // 2026-02-10 → 260 + 70 × 5.25 = 627.5; 2026-03-17 → 260 + 105 × 5.25 = 811.25. Rows 22 px from y 30: centres 41 and 63.
  const svg = timelineChart(
    'frise',
    'Jalons <prévus>',
    [
      {
        label: 'Démarche <1>',
        marks: [
          { on: '2026-03-17', colour: '#6a6af4', shape: 'diamond' },
          { on: '2026-02-10', colour: '#18753c' },
        ],
      },
      { label: 'Une démarche au titre bien trop long pour la frise', marks: [{ on: '2025-12-17', colour: '#000091' }] },
    ],
    { today: '2025-12-17', caption: 'Frise (le détail suit)' },
  ).value;
  assert.match(
    svg,
    /^<figure class="fr-my-3w"><svg role="img" aria-labelledby="frise-titre" viewBox="0 0 900 84" width="100%" style="max-width:900px">/,
  );
  assert.match(svg, /<title id="frise-titre">Jalons &lt;prévus&gt;<\/title>/);
  assert.match(svg, /<figcaption>Frise \(le détail suit\)<\/figcaption><\/figure>$/);
  // One gridline, 1 January 2026, with its year.
  assert.deepEqual(
    [...svg.matchAll(/<line x1="([^"]+)" y1="20" x2="[^"]+" y2="84" stroke="#ddd"\/><text x="([^"]+)" y="16"[^>]*>(\d+)</g)].map((m) =>
      m.slice(1),
    ),
    [['417.5', '419.5', '2026']],
  );
  // Labels, escaped, the long one cut to 37 characters and an ellipsis.
  assert.deepEqual(
    [...svg.matchAll(/<text x="4" y="([^"]+)" font-size="12" fill="#161616">([^<]*)</g)].map((m) => m.slice(1)),
    [
      ['45', 'Démarche &lt;1&gt;'],
      ['67', 'Une démarche au titre bien trop long …'],
    ],
  );
  // The first row: its line from 2026-02-10 to 2026-03-17 whatever the marks' order, the diamond then the dot as given.
  assert.match(svg, /<line x1="627.5" y1="41" x2="811.25" y2="41" stroke="#929292"\/>/);
  assert.match(
    svg,
    /<path d="M811.25 34 L818.25 41 L811.25 48 L804.25 41 Z" fill="#6a6af4"\/><circle cx="627.5" cy="41" r="5" fill="#18753c"\/>/,
  );
  // The second row: one dot, no line.
  assert.match(svg, /<circle cx="338.75" cy="63" r="5" fill="#000091"\/>/);
  assert.equal([...svg.matchAll(/stroke="#929292"/g)].length, 1);
  // Today, a red dashed line down the rows, named.
  assert.match(
    svg,
    /<line x1="338.75" y1="20" x2="338.75" y2="84" stroke="#ce0500" stroke-dasharray="4 3"\/><text x="341.75" y="82" font-size="11" fill="#ce0500">aujourd’hui<\/text>/,
  );
});
