import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeConformity, conformityLabel, conformityMention, displayRate, type AuditPageResults, type ResultStatus } from './rate.ts';
import { referential } from '../rgaa/referential.ts';

/** A page from a compact row: criterion ids in `ids` order, one status each ('-' = no result, i.e. NT). */
function page(id: string, statuses: string, options: { process?: string; transverse?: boolean } = {}, ids = IDS): AuditPageResults {
  const cells = statuses.split(/\s+/).filter(Boolean);
  assert.equal(cells.length, ids.length, `row ${id}`);
  const results = new Map<string, ResultStatus>();
  cells.forEach((s, i) => {
    if (s !== '-') results.set(ids[i], s as ResultStatus);
  });
  return { id, results, ...options };
}

const IDS = ['1.1', '3.2', '8.5', '11.1'];
const close = (actual: number | null, expected: number) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);

describe('conformity rate on hand-computed audits', () => {
  // The worked example of docs/accessibility.md.
  //             1.1  3.2  8.5  11.1
  const home = page('accueil', 'C   C   C   NA');
  const contact = page('contact', 'C   NC  C   NA');
  const step1 = page('etape-1', 'C   C   C   NA', { process: 'paiement' });
  const step2 = page('etape-2', 'NA  C   NC  NA', { process: 'paiement' });

  test('criteria applicable, respected, the rate and its label', () => {
    const c = computeConformity(IDS, [home, contact, step1, step2]);
    // 1.1 C somewhere, NC nowhere: respected. 3.2 NC on contact, 8.5 NC on étape 2: applicable, not respected.
    // 11.1 NA everywhere: not applicable, not counted.
    assert.equal(c.criteria, 4);
    assert.equal(c.applicable, 3);
    assert.equal(c.respected, 1);
    close(c.rate, 100 / 3);
    assert.equal(displayRate(c.rate!), 33);
    assert.equal(c.label, 'non_conforme');
    assert.equal(c.tested, 16);
    assert.equal(c.complete, true);
  });

  test('page rates apply the process rule, and the average is their mean', () => {
    const c = computeConformity(IDS, [home, contact, step1, step2]);
    const byId = Object.fromEntries(c.pages.map((p) => [p.id, p]));
    assert.deepEqual([byId.accueil.respected, byId.accueil.applicable], [3, 3]); // 100 %
    assert.deepEqual([byId.contact.respected, byId.contact.applicable], [2, 3]); // 66,67 %
    // Étape 1 is C on 8.5, but 8.5 fails on étape 2 of the same process: it fails for the whole process.
    assert.deepEqual([byId['etape-1'].respected, byId['etape-1'].applicable], [2, 3]); // 66,67 %
    assert.deepEqual([byId['etape-2'].respected, byId['etape-2'].applicable], [1, 2]); // 50 %
    close(c.averageRate, (100 + 200 / 3 + 200 / 3 + 50) / 4); // 70,83 %
    assert.equal(displayRate(c.averageRate!), 71);
    // Without the process, étape 1 keeps its own 100 %.
    const alone = computeConformity(IDS, [home, contact, { ...step1, process: null }, step2]);
    assert.equal(alone.pages.find((p) => p.id === 'etape-1')!.rate, 100);
    // The legal rate does not change: an NC anywhere already fails the criterion.
    assert.equal(alone.rate, c.rate);
  });

  test('a partially conforming fast audit: 25 criteria, 3 NA everywhere, 2 NC → 20 / 22', () => {
    const fast = referential().auditCriteria('fast');
    const row = (nc: string[], na: string[]) =>
      new Map(fast.map((id) => [id, (nc.includes(id) ? 'NC' : na.includes(id) ? 'NA' : 'C') as ResultStatus]));
    const na = ['4.1', '4.10', '5.3']; // no media, no data table on either page
    const c = computeConformity(fast, [
      { id: 'accueil', results: row(['3.1'], na) },
      { id: 'formulaire', results: row(['11.1', '3.1'], na) },
    ]);
    assert.equal(c.applicable, 22);
    assert.equal(c.respected, 20);
    close(c.rate, 2000 / 22); // 90,909… %
    assert.equal(displayRate(c.rate!), 91);
    assert.equal(c.label, 'partiellement_conforme');
    assert.equal(conformityMention(c.label), 'Accessibilité : partiellement conforme');
    // accueil 21 / 22, formulaire 20 / 22.
    close(c.averageRate, ((21 / 22) * 100 + (20 / 22) * 100) / 2);
  });

  test('every applicable criterion respected: 100 %, totalement conforme', () => {
    const c = computeConformity(IDS, [page('a', 'C NA C C'), page('b', 'NA NA C C')]);
    assert.equal(c.rate, 100);
    assert.equal(c.label, 'totalement_conforme');
    assert.equal(conformityMention(c.label), 'Accessibilité : totalement conforme');
  });

  test('the transverse elements hold for every page: their NC fails each page, their C makes it applicable', () => {
    //                                    1.1 3.2 8.5 11.1
    const header = page('transverse', 'NC  C   NA  NA', { transverse: true });
    const a = page('a', 'C   NA  C   NA');
    const b = page('b', 'C   NA  C   C');
    const c = computeConformity(IDS, [header, a, b]);
    assert.equal(c.applicable, 4); // 1.1, 3.2 (header), 8.5, 11.1 (b)
    assert.equal(c.respected, 3);
    assert.equal(c.rate, 75);
    // The pseudo-page is not a page of its own: two page rates.
    assert.deepEqual(
      c.pages.map((p) => [p.id, p.respected, p.applicable]),
      [
        ['a', 2, 3], // 1.1 NC (header), 3.2 C (header), 8.5 C
        ['b', 3, 4], // 1.1 NC (header), 3.2 C (header), 8.5 C, 11.1 C
      ],
    );
    assert.equal(c.cells, 12);
  });

  test('« en cours » until every cell is tested; NT counts neither as applicable nor as respected', () => {
    const c = computeConformity(IDS, [page('a', 'C NT - NA'), page('b', 'NC - NT NA')]);
    assert.equal(c.tested, 4);
    assert.equal(c.cells, 8);
    assert.equal(c.complete, false);
    assert.equal(c.applicable, 1);
    assert.equal(c.respected, 0);
    assert.equal(c.rate, 0);
    assert.equal(c.label, 'non_conforme');
  });

  test('results of criteria outside the audit type are ignored', () => {
    const results = new Map<string, ResultStatus>([
      ['1.1', 'C'],
      ['3.2', 'NC'],
    ]);
    const c = computeConformity(['1.1'], [{ id: 'a', results }]);
    assert.deepEqual([c.applicable, c.respected, c.rate, c.cells], [1, 1, 100, 1]);
  });

  test('nothing applicable, or no page: no rate, non conforme', () => {
    const c = computeConformity(IDS, [page('a', 'NA NA NA NA')]);
    assert.equal(c.rate, null);
    assert.equal(c.averageRate, null);
    assert.equal(c.label, 'non_conforme');
    const empty = computeConformity(IDS, []);
    assert.deepEqual([empty.rate, empty.cells, empty.complete], [null, 0, false]);
  });

  test('labels at the thresholds, and display never crosses them', () => {
    assert.equal(conformityLabel(null), 'non_conforme');
    assert.equal(conformityLabel(100), 'totalement_conforme');
    assert.equal(conformityLabel(50), 'partiellement_conforme');
    assert.equal(conformityLabel((49 * 100) / 99), 'non_conforme'); // 49,49 %
    assert.equal(conformityLabel((50 * 100) / 101), 'non_conforme'); // 49,50 %: would round to 50
    assert.equal(displayRate((50 * 100) / 101), 49);
    assert.equal(displayRate((49 * 100) / 99), 49);
    assert.equal(displayRate(99.6), 99);
    assert.equal(displayRate(100), 100);
    assert.equal(displayRate(70.5), 71);
    assert.equal(displayRate(0), 0);
  });
});

describe('conformity rate properties (fast-check)', () => {
  const ids = referential().auditCriteria('full').slice(0, 10);
  const status = fc.constantFrom<ResultStatus | undefined>('C', 'NC', 'NA', 'NT', undefined);
  const pageArb = (i: number) =>
    fc
      .record({
        process: fc.constantFrom(null, 'p1', 'p2'),
        statuses: fc.array(status, { minLength: ids.length, maxLength: ids.length }),
      })
      .map(({ process, statuses }) => {
        const results = new Map<string, ResultStatus>();
        statuses.forEach((s, k) => {
          if (s) results.set(ids[k], s);
        });
        return { id: `page-${i}`, process, results } as AuditPageResults;
      });
  const audit = fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.boolean())
    .chain(([n, withTransverse]) =>
      fc
        .tuple(...Array.from({ length: n }, (_, i) => pageArb(i)))
        .map((pages) => (withTransverse ? [{ ...pages[0], id: 'transverse', process: null, transverse: true }, ...pages.slice(1)] : pages)),
    );
  const inRange = (x: number | null) => x === null || (x >= 0 && x <= 100);

  test('every rate is within 0–100, and display agrees with the label', () => {
    fc.assert(
      fc.property(audit, (pages) => {
        const c = computeConformity(ids, pages);
        assert.ok(inRange(c.rate) && inRange(c.averageRate));
        for (const p of c.pages) assert.ok(inRange(p.rate) && p.respected <= p.applicable);
        assert.ok(c.respected <= c.applicable && c.applicable <= c.criteria);
        if (c.rate !== null) {
          const shown = displayRate(c.rate);
          assert.equal(shown === 100, c.label === 'totalement_conforme');
          assert.equal(shown >= 50, c.label !== 'non_conforme');
        }
      }),
      { numRuns: 300 },
    );
  });

  test('turning a C into an NC never raises the rate, the average rate or any page rate', () => {
    fc.assert(
      fc.property(audit, fc.nat(), (pages, pick) => {
        const cs = pages.flatMap((p, i) => ids.filter((id) => p.results.get(id) === 'C').map((id) => [i, id] as const));
        fc.pre(cs.length > 0);
        const [i, id] = cs[pick % cs.length];
        const worse = pages.map((p, k) => (k === i ? { ...p, results: new Map(p.results).set(id, 'NC') } : p));
        const before = computeConformity(ids, pages);
        const after = computeConformity(ids, worse);
        assert.ok(after.rate! <= before.rate!);
        assert.equal(after.applicable, before.applicable);
        assert.ok(after.averageRate! <= before.averageRate! + 1e-9);
        before.pages.forEach((p, k) => void assert.ok(p.rate === null ? after.pages[k].rate === null : after.pages[k].rate! <= p.rate));
      }),
      { numRuns: 300 },
    );
  });

  test('a criterion NA on every page is not counted', () => {
    const extra = referential().auditCriteria('full')[50];
    fc.assert(
      fc.property(audit, (pages) => {
        const withNa = pages.map((p) => ({ ...p, results: new Map(p.results).set(extra, 'NA') }));
        const before = computeConformity(ids, pages);
        const after = computeConformity([...ids, extra], withNa);
        assert.deepEqual(
          [after.applicable, after.respected, after.rate, after.averageRate, after.label, after.pages],
          [before.applicable, before.respected, before.rate, before.averageRate, before.label, before.pages],
        );
      }),
      { numRuns: 200 },
    );
  });

  test('the order of pages changes nothing', () => {
    fc.assert(
      fc.property(audit, fc.array(fc.nat()), (pages, keys) => {
        const shuffled = pages
          .map((p, i) => ({ p, k: keys[i] ?? i }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.p);
        const a = computeConformity(ids, pages);
        const b = computeConformity(ids, shuffled);
        assert.deepEqual([b.applicable, b.respected, b.rate, b.label, b.tested], [a.applicable, a.respected, a.rate, a.label, a.tested]);
        assert.ok(a.averageRate === null ? b.averageRate === null : Math.abs(a.averageRate - b.averageRate!) < 1e-9);
        const byId = (c: typeof a) => [...c.pages].sort((x, y) => String(x.id).localeCompare(String(y.id)));
        assert.deepEqual(byId(b), byId(a));
      }),
      { numRuns: 300 },
    );
  });
});
