/**
 * A small corpus of test pages labelled by hand against RGAA 4.1 (issue 13: precision of the scanner's « non conforme »).
 * Each page is minimal and otherwise clean; it was read by hand against every criterion the scanner can speak to
 * (docs/monitoring.md), and `nc` lists the criteria it does NOT meet. Every other of those criteria is labelled « not
 * non conforme » (met or not applicable): a scanner « non conforme » there is a false positive. Some pages are clean on
 * purpose, or near-misses (a decorative image, large text of just enough contrast, a single positive tabindex, a
 * table with correct headers) to catch verdicts the scanner should not give. Local and hand-labelled: not an external
 * reference corpus.
 */
export interface CorpusPage {
  name: string;
  /** What the page contains, and why it is labelled so. */
  note: string;
  /** Criteria labelled « non conforme » by hand. */
  nc: string[];
  html: string;
}

const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

function page(body: string, o: { lang?: string | null; title?: string | null; head?: string } = {}): string {
  const lang = o.lang === null ? '' : ` lang="${o.lang ?? 'fr'}"`;
  const title = o.title === null ? '' : `<title>${o.title ?? 'Page de test'}</title>`;
  return `<!doctype html><html${lang}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${title}${o.head ?? ''}</head>
<body><main><h1>Page de test</h1>${body}</main></body></html>`;
}

export const CORPUS: CorpusPage[] = [
  { name: 'clean-text', note: 'a paragraph, nothing else', nc: [], html: page('<p>Bienvenue sur le service.</p>') },
  {
    name: 'img-no-alt',
    note: 'informative image without alt (1.1.1)',
    nc: ['1.1'],
    html: page(`<p>Logo :</p><img src="${PIXEL}" width="40" height="40">`),
  },
  {
    name: 'img-alt',
    note: 'informative image with a relevant alt',
    nc: [],
    html: page(`<img src="${PIXEL}" alt="Logo de la République française" width="40" height="40">`),
  },
  {
    name: 'img-decorative',
    note: 'decorative image, empty alt: 1.1 met, 1.2 met',
    nc: [],
    html: page(`<p>Texte.</p><img src="${PIXEL}" alt="" width="40" height="40">`),
  },
  {
    name: 'input-image-no-alt',
    note: 'image button without text alternative (1.1.3)',
    nc: ['1.1'],
    html: page(
      `<form action="/recherche"><label for="q">Rechercher</label><input id="q" name="q"><input type="image" src="${PIXEL}" width="20" height="20"></form>`,
    ),
  },
  {
    name: 'area-no-alt',
    note: 'image map area without alt (1.1.2)',
    nc: ['1.1'],
    html: page(
      `<img src="${PIXEL}" alt="Plan du site" usemap="#plan" width="100" height="100"><map name="plan"><area shape="rect" coords="0,0,50,50" href="/aide"></map>`,
    ),
  },
  {
    name: 'svg-img-no-name',
    note: 'svg with role="img" and no text alternative (1.1.5)',
    nc: ['1.1'],
    html: page('<svg role="img" width="20" height="20"><circle cx="10" cy="10" r="8"></circle></svg>'),
  },
  { name: 'iframe-no-title', note: 'iframe without title (2.1.1)', nc: ['2.1'], html: page('<iframe src="about:blank"></iframe>') },
  {
    name: 'iframe-title',
    note: 'iframe with a relevant title',
    nc: [],
    html: page('<iframe src="about:blank" title="Carte des agences"></iframe>'),
  },
  {
    name: 'contrast-low',
    note: 'small text #aaaaaa on white: 2.3:1 (3.2.1)',
    nc: ['3.2'],
    html: page('<p style="color:#aaaaaa;background:#ffffff">Informations importantes sur votre dossier.</p>'),
  },
  {
    name: 'contrast-ok',
    note: 'small text #333333 on white: 12.6:1',
    nc: [],
    html: page('<p style="color:#333333;background:#ffffff">Informations importantes sur votre dossier.</p>'),
  },
  {
    name: 'contrast-large-ok',
    note: 'bold 24px text #767676 on white: 4.5:1, above the 3:1 of large text',
    nc: [],
    html: page('<p style="color:#767676;background:#ffffff;font-size:24px;font-weight:bold">Votre dossier est complet.</p>'),
  },
  {
    name: 'table-headers-wrong',
    note: 'data cell whose headers attribute names no header (5.7.4)',
    nc: ['5.7'],
    html: page(
      '<table><caption>Délais</caption><tr><th id="h1" scope="col">Étape</th><th id="h2" scope="col">Délai</th></tr><tr><td headers="h1">Dépôt</td><td headers="inconnu">3 jours</td></tr></table>',
    ),
  },
  {
    name: 'table-ok',
    note: 'data table with caption and column headers',
    nc: [],
    html: page(
      '<table><caption>Délais</caption><tr><th scope="col">Étape</th><th scope="col">Délai</th></tr><tr><td>Dépôt</td><td>3 jours</td></tr></table>',
    ),
  },
  { name: 'link-empty', note: 'link without any name (6.2.1)', nc: ['6.2'], html: page('<p>Suite :</p><a href="/suite"></a>') },
  { name: 'link-ok', note: 'link with an explicit text', nc: [], html: page('<p><a href="/aide">Aide sur la démarche</a></p>') },
  {
    name: 'role-invalid',
    note: 'role value that does not exist: the component is not exposed (7.1.1)',
    nc: ['7.1'],
    html: page('<div role="buton" tabindex="0">Valider</div>'),
  },
  {
    name: 'duplicate-id',
    note: 'two elements with the same id: invalid code (8.2.1)',
    nc: ['8.2'],
    html: page('<p id="info">Premier.</p><p id="info">Second.</p>'),
  },
  { name: 'no-lang', note: 'no default language (8.3.1)', nc: ['8.3'], html: page('<p>Bienvenue.</p>', { lang: null }) },
  {
    name: 'lang-invalid',
    note: 'default language not a language code (8.4.1)',
    nc: ['8.4'],
    html: page('<p>Bienvenue.</p>', { lang: 'francais' }),
  },
  { name: 'no-title', note: 'no page title (8.5.1)', nc: ['8.5'], html: page('<p>Bienvenue.</p>', { title: null }) },
  {
    name: 'lang-change-invalid',
    note: 'change of language with an invalid code (8.8.1)',
    nc: ['8.8'],
    html: page('<p>Bienvenue. <span lang="xx-123-invalide">Welcome.</span></p>'),
  },
  {
    name: 'lang-change-ok',
    note: 'change of language with a valid code',
    nc: [],
    html: page('<p>Bienvenue. <span lang="en">Welcome.</span></p>'),
  },
  {
    name: 'heading-empty',
    note: 'empty heading: not relevant (9.1.2) — the scanner speaks to 9.1.3 only',
    nc: ['9.1'],
    html: page('<h2></h2><p>Texte.</p>'),
  },
  {
    name: 'list-bad-child',
    note: 'ul whose child is a paragraph: list badly structured (9.3.1) and invalid code (8.2.1)',
    nc: ['9.3', '8.2'],
    html: page('<ul><p>Pièce d’identité</p><li>Justificatif de domicile</li></ul>'),
  },
  {
    name: 'li-orphan',
    note: 'li outside a list (9.3.1) and invalid code (8.2.1)',
    nc: ['9.3', '8.2'],
    html: page('<li>Pièce d’identité</li>'),
  },
  { name: 'list-ok', note: 'well-formed list', nc: [], html: page('<ul><li>Pièce d’identité</li><li>Justificatif de domicile</li></ul>') },
  {
    name: 'no-zoom',
    note: 'viewport forbids zoom: text cannot be enlarged to 200 % (10.4.2)',
    nc: ['10.4'],
    html: `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no"><title>Page de test</title></head><body><main><h1>Page de test</h1><p>Texte.</p></main></body></html>`,
  },
  {
    name: 'input-no-label',
    note: 'text field without label (11.1.1)',
    nc: ['11.1'],
    html: page('<form action="/envoi"><input type="text" name="nom"><button type="submit">Envoyer</button></form>'),
  },
  {
    name: 'input-label-ok',
    note: 'text field with its label',
    nc: [],
    html: page(
      '<form action="/envoi"><label for="nom">Nom</label><input type="text" id="nom" name="nom"><button type="submit">Envoyer</button></form>',
    ),
  },
  {
    name: 'select-no-label',
    note: 'select without label (11.1.1)',
    nc: ['11.1'],
    html: page(
      '<form action="/envoi"><select name="pays"><option>France</option><option>Belgique</option></select><button type="submit">Envoyer</button></form>',
    ),
  },
  {
    name: 'button-empty',
    note: 'form button without any name (11.9.1)',
    nc: ['11.9'],
    html: page('<form action="/envoi"><label for="nom">Nom</label><input id="nom" name="nom"><button type="submit"></button></form>'),
  },
  {
    name: 'autocomplete-invalid',
    note: 'autocomplete value that is not a valid token (11.13.1)',
    nc: ['11.13'],
    html: page(
      '<form action="/envoi"><label for="nom">Nom</label><input id="nom" name="nom" autocomplete="nom-complet"><button type="submit">Envoyer</button></form>',
    ),
  },
  {
    name: 'autocomplete-ok',
    note: 'valid autocomplete token',
    nc: [],
    html: page(
      '<form action="/envoi"><label for="nom">Nom</label><input id="nom" name="nom" autocomplete="family-name"><button type="submit">Envoyer</button></form>',
    ),
  },
  {
    name: 'tabindex-single',
    note: 'one link with tabindex="5" on a page whose only focusable element it is: the order stays coherent (12.8 met)',
    nc: [],
    html: page('<p><a href="/aide" tabindex="5">Aide</a></p>'),
  },
  {
    name: 'meta-refresh',
    note: 'page redirected after 5 s without the user being able to stop it (13.1.2)',
    nc: ['13.1'],
    html: `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5;url=/ailleurs"><title>Page de test</title></head><body><main><h1>Page de test</h1><p>Texte.</p></main></body></html>`,
  },
  // Near misses, all labelled with no « non conforme »: what a careless checker could call a defect.
  {
    name: 'input-aria-label',
    note: 'field named by aria-label: an étiquette for RGAA 11.1.1',
    nc: [],
    html: page(
      '<form action="/recherche" role="search"><input type="search" name="q" aria-label="Rechercher une démarche"><button type="submit">Rechercher</button></form>',
    ),
  },
  {
    name: 'input-hidden',
    note: 'hidden field: no label needed',
    nc: [],
    html: page(
      '<form action="/envoi"><input type="hidden" name="jeton" value="x"><label for="nom">Nom</label><input id="nom" name="nom"><button type="submit">Envoyer</button></form>',
    ),
  },
  {
    name: 'label-visually-hidden',
    note: 'label hidden visually but read by assistive technologies (the button says what the field is for)',
    nc: [],
    html: page(
      '<style>.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}</style><form action="/recherche"><label for="q" class="sr-only">Rechercher</label><input id="q" name="q"><button type="submit">Rechercher</button></form>',
    ),
  },
  {
    name: 'link-image-alt',
    note: 'image link whose alt gives the link its name',
    nc: [],
    html: page(`<p><a href="/"><img src="${PIXEL}" alt="Accueil du service" width="20" height="20"></a></p>`),
  },
  {
    name: 'aria-hidden-decorative',
    note: 'decorative character hidden from assistive technologies beside a text',
    nc: [],
    html: page('<p><span aria-hidden="true">★</span> Démarche favorite</p>'),
  },
  {
    name: 'svg-decorative',
    note: 'decorative svg hidden from assistive technologies',
    nc: [],
    html: page(
      '<p><svg aria-hidden="true" focusable="false" width="10" height="10"><circle cx="5" cy="5" r="4"></circle></svg> Nouveau</p>',
    ),
  },
  {
    name: 'button-aria-label',
    note: 'icon button named by aria-label (« Fermer »): relevant name',
    nc: [],
    html: page('<form action="/fermer"><button type="submit" aria-label="Fermer la fenêtre">×</button></form>'),
  },
  {
    name: 'disabled-low-contrast',
    note: 'disabled button of low contrast: inactive components are outside 3.2',
    nc: [],
    html: page(
      '<form action="/envoi"><label for="nom">Nom</label><input id="nom" name="nom"><button type="submit" disabled style="color:#bbbbbb;background:#eeeeee">Envoyer</button></form>',
    ),
  },
  {
    name: 'lang-uppercase',
    note: 'default language in capitals (« FR »): a valid code',
    nc: [],
    html: page('<p>Bienvenue.</p>', { lang: 'FR' }),
  },
  {
    name: 'marquee',
    note: 'moving text the user cannot stop (13.8.1)',
    nc: ['13.8'],
    html: page('<marquee>Nouveau : prenez rendez-vous en ligne.</marquee>'),
  },
];
