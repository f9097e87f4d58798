import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageCount, pageFrom, pageWindow, pagination } from './pagination.ts';

const href = (p: number) => `/liste?q=a%20b&page=${p}`;
const links = (s: string) =>
  [...s.matchAll(/<a class="fr-pagination__link[^"]*"(?: href="([^"]*)")?[^>]*>([^<]*)<\/a>/g)].map((m) => [m[2], m[1] ?? null]);

test('pageFrom: a small positive integer, else the first page', () => {
  assert.equal(pageFrom('3'), 3);
  for (const bad of [undefined, '', '0', '-2', '1.5', 'abc', '1e9', '100001', ['2', '3']]) assert.equal(pageFrom(bad), 1, String(bad));
});

test('pageCount: 0 rows is one page; 101 rows at 50 a page are three', () => {
  assert.equal(pageCount(0, 50), 1);
  assert.equal(pageCount(100, 50), 2);
  assert.equal(pageCount(101, 50), 3);
});

test('pageWindow: first, last, two around the current page', () => {
  assert.deepEqual(pageWindow(1, 1), [1]);
  assert.deepEqual(pageWindow(1, 10), [1, 2, 3, 10]);
  assert.deepEqual(pageWindow(6, 10), [1, 4, 5, 6, 7, 8, 10]);
  assert.deepEqual(pageWindow(10, 10), [1, 8, 9, 10]);
});

test('a single page shows no pagination', () => {
  assert.equal(String(pagination(1, { pages: 1 }, href)), '');
  assert.equal(String(pagination(1, { hasNext: false }, href)), '');
});

test('known total: links, the current page marked, gaps shown as « … », edges disabled on the first page', () => {
  const out = String(pagination(1, { pages: 10 }, href));
  assert.deepEqual(links(out), [
    ['Première page', null],
    ['Page précédente', null],
    ['1', null],
    ['2', '/liste?q=a%20b&amp;page=2'],
    ['3', '/liste?q=a%20b&amp;page=3'],
    ['10', '/liste?q=a%20b&amp;page=10'],
    ['Page suivante', '/liste?q=a%20b&amp;page=2'],
    ['Dernière page', '/liste?q=a%20b&amp;page=10'],
  ]);
  assert.match(out, /aria-current="page" title="Page 1">1</);
  assert.equal(out.match(/…/g)?.length, 1);
  assert.equal(out.match(/aria-disabled="true"/g)?.length, 2);
});

test('unknown total: previous, current, next', () => {
  const out = String(pagination(2, { hasNext: true }, href));
  assert.deepEqual(links(out), [
    ['Page précédente', '/liste?q=a%20b&amp;page=1'],
    ['2', null],
    ['Page suivante', '/liste?q=a%20b&amp;page=3'],
  ]);
  const lastPage = String(pagination(3, { hasNext: false }, href));
  assert.deepEqual(links(lastPage), [
    ['Page précédente', '/liste?q=a%20b&amp;page=2'],
    ['3', null],
    ['Page suivante', null],
  ]);
});
