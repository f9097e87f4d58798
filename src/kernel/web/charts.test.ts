import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnChart, timeLineChart } from './charts.ts';

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
