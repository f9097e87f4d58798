import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fieldChanges, hasSentence } from './journal-events.ts';

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(full, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

test('every kind of event the code audits has its sentence in the journal', () => {
  const actions = new Set<string>();
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    for (const call of text.matchAll(/\baudit\(\w+, \{[\s\S]{0,700}?\}\);/g)) {
      for (const literal of call[0].matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) actions.add(literal[1]!);
    }
  }
  // Chosen before the call (buttons): feedback-routes map them to change.action.
  for (const action of ['feedback.button.close', 'feedback.button.reopen', 'feedback.button.delete']) actions.add(action);
  assert.ok(actions.size > 40, `only ${actions.size} actions found: the scan is broken`);
  assert.deepEqual([...actions].filter((a) => !hasSentence(a)).sort(), []);
});

test('changes list only what changed, with readable names and values', () => {
  assert.deepEqual(fieldChanges({ title: 'A', locked: false, same: 1 }, { title: 'B', locked: true, same: 1 }), [
    { field: 'titre', before: 'A', after: 'B' },
    { field: 'verrouillé', before: 'non', after: 'oui' },
  ]);
  assert.deepEqual(fieldChanges(null, { role: 'procedure_editor', procedureId: 4 }), [
    { field: 'rôle', before: null, after: 'Équipe de démarche (modification)' },
    { field: 'démarche', before: null, after: '4' },
  ]);
  assert.deepEqual(fieldChanges({ email: 'a@b.fr' }, null), [{ field: 'adresse électronique', before: 'a@b.fr', after: null }]);
  assert.deepEqual(fieldChanges({ help_channels: ['phone'] }, { help_channels: [] }), [
    { field: 'canaux d’aide', before: 'phone', after: '(vide)' },
  ]);
});
