import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODULES } from '../src/app.ts';
import { layout } from '../src/kernel/web/layout.ts';
import { html } from '../src/kernel/web/html.ts';

// The README and the page footer describe the modules that exist, and only them (issue 9, « while there »).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

/**
 * What each module brings, as the footer and the README name it (by hand). The infrastructure modules (home page,
 * accounts, « Mes démarches ») are not products of their own and are not described.
 */
const DESCRIBED: Record<string, { footer: RegExp; readme: RegExp }> = {
  catalog: { footer: /catalogue/, readme: /catalogue des démarches/ },
  observatoire: { footer: /observatoire/, readme: /^## Observatoire$/m },
  feedback: { footer: /avis (et témoignages )?des usagers/, readme: /^## Je donne mon avis$/m },
  experiences: { footer: /témoignages des usagers/, readme: /^## Témoignages des usagers$/m },
  accessibility: { footer: /accessibilité/, readme: /^## Accessibilité \(RGAA\)$/m },
  monitoring: { footer: /disponibilité/, readme: /^## Supervision$/m },
  support: { footer: /aide aux usagers/, readme: /^## Aide aux usagers$/m },
  improvement: { footer: /défis d’amélioration/, readme: /^## Défis d’amélioration$/m },
};
const INFRASTRUCTURE = ['site', 'accounts', 'workspace'];

test('every module of src/app.ts is one of the described ones or infrastructure, and every described one exists', () => {
  const names = MODULES.map((m) => m.name).sort();
  assert.deepEqual(names, [...Object.keys(DESCRIBED), ...INFRASTRUCTURE].sort());
  for (const name of names) assert.ok(existsSync(path.join(root, 'src', name, 'module.ts')), name);
});

test('the footer names what each module brings', () => {
  const page = layout(
    { title: 'Essai', content: html`<p>x</p>` },
    { user: null, csrfToken: '', path: '/', isDemo: false, logoutAction: '/deconnexion' },
  );
  const footer = /<p class="fr-footer__content-desc">([^<]*)<\/p>/.exec(page)?.[1] ?? '';
  assert.ok(footer, 'the footer has its description');
  for (const [name, { footer: words }] of Object.entries(DESCRIBED)) assert.match(footer, words, name);
});

test('the README describes each module, lists its folder and its documentation; no folder it names is missing', () => {
  for (const [name, { readme: words }] of Object.entries(DESCRIBED)) assert.match(readme, words, name);
  const architecture = /^## Architecture\n([\s\S]*?)\n## /m.exec(readme)?.[1] ?? '';
  const folders = [...architecture.matchAll(/`([a-z]+)`/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(folders)].sort(), MODULES.map((m) => m.name).sort(), 'the module folders of « Architecture »');
  const docs = [...readme.matchAll(/`docs\/([a-z-]+)\.md`/g)].map((m) => m[1]);
  for (const doc of docs) assert.ok(existsSync(path.join(root, 'docs', `${doc}.md`)), `docs/${doc}.md`);
  for (const file of readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md'))) {
    assert.ok(docs.includes(file.replace(/\.md$/, '')), `README lists docs/${file}`);
  }
});
