import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths, compareVersions, declarationValidity, DEFAULT_DECLARATION_RULES as RULES, handicapValue } from './validity.ts';

const V412 = [{ version: '4.1.2', publishedOn: '2023-04-13' }];

describe('declaration validity (dates computed by hand)', () => {
  test('months are calendar months; a missing day becomes the last of the month', () => {
    assert.equal(addMonths('2026-01-15', 36), '2029-01-15');
    assert.equal(addMonths('2024-08-31', 18), '2026-02-28');
    assert.equal(addMonths('2023-08-31', 6), '2024-02-29');
    assert.ok(compareVersions('4.1.2', '4.10') < 0 && compareVersions('5', '4.1.2') > 0 && compareVersions('4.1', '4.1.0') === 0);
  });

  test('three years from its publication', () => {
    const d = { publishedOn: '2026-01-15', rgaaVersion: '4.1.2', redesignedOn: null };
    const v = declarationValidity(d, RULES, V412, '2026-12-03');
    assert.deepEqual(v, { expiresOn: '2029-01-15', reason: 'duration', valid: true, daysLeft: 774, expiresSoon: false });
    // 2029-01-15 − 90 days = 2028-10-17: warned from that day, expired on the 15th of January 2029.
    assert.equal(declarationValidity(d, RULES, V412, '2028-10-16').expiresSoon, false);
    assert.equal(declarationValidity(d, RULES, V412, '2028-10-17').expiresSoon, true);
    assert.equal(declarationValidity(d, RULES, V412, '2029-01-14').valid, true);
    assert.deepEqual(declarationValidity(d, RULES, V412, '2029-01-15'), {
      expiresOn: '2029-01-15',
      reason: 'duration',
      valid: false,
      daysLeft: 0,
      expiresSoon: false,
    });
  });

  test('eighteen months after a newer RGAA version, when that comes first', () => {
    const versions = [...V412, { version: '5', publishedOn: '2026-06-01' }];
    const v = declarationValidity({ publishedOn: '2026-01-15', rgaaVersion: '4.1.2', redesignedOn: null }, RULES, versions, '2026-12-03');
    assert.equal(v.expiresOn, '2027-12-01');
    assert.equal(v.reason, 'new_version');
    // A declaration made under the new version is not concerned.
    assert.equal(
      declarationValidity({ publishedOn: '2026-07-01', rgaaVersion: '5', redesignedOn: null }, RULES, versions, '2026-12-03').expiresOn,
      '2029-07-01',
    );
  });

  test('a substantial redesign ends it that day; the durations are rules', () => {
    const v = declarationValidity(
      { publishedOn: '2026-01-15', rgaaVersion: '4.1.2', redesignedOn: '2026-11-01' },
      RULES,
      V412,
      '2026-12-03',
    );
    assert.deepEqual([v.valid, v.reason, v.expiresOn], [false, 'redesign', '2026-11-01']);
    const longer = declarationValidity(
      { publishedOn: '2026-01-15', rgaaVersion: '4.1.2', redesignedOn: null },
      { ...RULES, validityMonths: 48 },
      V412,
      '2026-12-03',
    );
    assert.equal(longer.expiresOn, '2030-01-15');
  });

  test('the « handicap » value: the declared rate only when everything the rule asks is there, else 0 (« Non »)', () => {
    const facts = {
      publishedOn: '2026-01-15',
      rgaaVersion: '4.1.2',
      redesignedOn: null,
      rate: 75,
      hasContact: true,
      pagesTested: 2,
      auditOn: '2025-12-20',
    };
    assert.equal(handicapValue(facts, RULES, V412, '2026-12-03'), 75);
    assert.equal(handicapValue({ ...facts, hasContact: false }, RULES, V412, '2026-12-03'), 0);
    assert.equal(handicapValue({ ...facts, pagesTested: 0 }, RULES, V412, '2026-12-03'), 0);
    assert.equal(handicapValue({ ...facts, rate: null }, RULES, V412, '2026-12-03'), 0);
    assert.equal(handicapValue({ ...facts, redesignedOn: '2026-06-01' }, RULES, V412, '2026-12-03'), 0);
    // An audit of 2023-11-30 is 3 years old on 2026-11-30: no longer counted, even though the declaration is valid.
    assert.equal(handicapValue({ ...facts, auditOn: '2023-12-04' }, RULES, V412, '2026-12-03'), 75);
    assert.equal(handicapValue({ ...facts, auditOn: '2023-11-30' }, RULES, V412, '2026-12-03'), 0);
  });
});
