import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTableQuery, tableQueryString } from './filters.ts';
import { listQuery } from '../api/schemas.ts';
import { jsonSchemaOf } from '../../kernel/web/openapi.ts';
import { ONLINE_STATUSES, USER_CATEGORIES } from '../../catalog/index.ts';

describe("observatoire table filters: the catalogue's vocabularies", () => {
  test('every online status and user category of the catalogue is a valid filter, and round-trips', () => {
    for (const status of ONLINE_STATUSES) {
      const { query, errors } = parseTableQuery({ en_ligne: status }, []);
      assert.deepEqual(errors, {}, status);
      assert.equal(query.online, status);
      assert.equal(tableQueryString(query), `?en_ligne=${status}`);
    }
    for (const category of USER_CATEGORIES) {
      const { query, errors } = parseTableQuery({ categorie: category }, []);
      assert.deepEqual(errors, {}, category);
      assert.equal(query.category, category);
    }
  });

  test('a code outside the vocabularies is an error in French and filters nothing', () => {
    const { query, errors } = parseTableQuery({ en_ligne: 'Oui', categorie: 'entreprises' }, []);
    assert.equal(query.online, null);
    assert.equal(query.category, null);
    assert.equal(errors.en_ligne, 'Statut de mise en ligne inconnu.');
    assert.equal(errors.categorie, "Catégorie d'usagers inconnue.");
  });

  test('the API documents the same codes, with their labels', () => {
    const properties = (jsonSchemaOf(listQuery, 'input') as { properties: Record<string, { enum: string[]; description: string }> })
      .properties;
    assert.deepEqual(properties.en_ligne.enum, [...ONLINE_STATUSES]);
    assert.match(properties.en_ligne.description, /en_cours : En cours de déploiement local/);
    assert.deepEqual(properties.categorie.enum, [...USER_CATEGORIES]);
  });
});
