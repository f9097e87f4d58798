// The audit grid with JavaScript: each criterion's form saves itself as soon as its status or note changes, and says
// « Enregistré ». A save refused because someone else saved the criterion first shows their value, keeps yours in the
// form, and offers to keep theirs or save yours instead. Without JavaScript the forms post as they are.
const STATUS = { C: 'Conforme', NC: 'Non conforme', NA: 'Non applicable', NT: 'Non testé' };

function say(form, text) {
  const out = form.querySelector('.vigie-a11y-saved');
  if (out) out.textContent = text;
}

function badge(form, status) {
  const section = form.closest('.vigie-a11y-criterion');
  const current = section && section.querySelector('.vigie-a11y-current .fr-badge');
  if (!current) return;
  current.textContent = STATUS[status];
  current.className =
    'fr-badge fr-badge--sm fr-badge--no-icon ' +
    ({ C: 'fr-badge--success', NC: 'fr-badge--error', NA: 'fr-badge--info', NT: '' }[status] || '');
}

// One save at a time per form: a change made while a save is on its way is sent after it, with the new version.
const busy = new WeakSet();
const again = new WeakSet();

async function save(form) {
  if (busy.has(form)) {
    again.add(form);
    return;
  }
  busy.add(form);
  try {
    await send(form);
  } finally {
    busy.delete(form);
  }
  if (again.has(form)) {
    again.delete(form);
    if (!form.querySelector('.vigie-a11y-conflict')) await save(form);
  }
}

async function send(form) {
  const body = new URLSearchParams(new FormData(form));
  say(form, 'Enregistrement…');
  let response;
  try {
    response = await fetch(form.action, { method: 'POST', body, headers: { accept: 'application/json' }, credentials: 'same-origin' });
  } catch {
    say(form, 'Non enregistré : la connexion a échoué. Réessayez avec le bouton « Enregistrer ».');
    return;
  }
  const data = await response.json().catch(() => null);
  const conflict = form.querySelector('.vigie-a11y-conflict');
  if (conflict) conflict.remove();
  if (response.ok && data && data.outcome === 'saved') {
    form.elements.version.value = String(data.version);
    badge(form, form.elements.status.value);
    // Unticked once applied (only if this save carried it: it may have been ticked while the save was on its way).
    const all = form.elements.all_pages;
    if (all && body.has('all_pages')) all.checked = false;
    say(form, data.message ? 'Enregistré. ' + data.message : 'Enregistré.');
    return;
  }
  if (response.status === 409 && data && data.current) {
    const theirs = data.current;
    say(form, '');
    const box = document.createElement('div');
    box.className = 'vigie-a11y-conflict fr-alert fr-alert--warning fr-alert--sm fr-mb-2w';
    box.setAttribute('role', 'alert');
    const p = document.createElement('p');
    p.textContent =
      (theirs.updatedBy || 'Une autre personne') +
      ' a enregistré « ' +
      STATUS[theirs.status] +
      ' »' +
      (theirs.note ? ' (note : ' + theirs.note + ')' : '') +
      ' entre-temps. Votre choix « ' +
      STATUS[form.elements.status.value] +
      ' » n’est pas enregistré.';
    box.append(p);
    const keep = document.createElement('button');
    keep.type = 'button';
    keep.className = 'fr-btn fr-btn--sm fr-btn--secondary fr-mr-1w';
    keep.textContent = 'Garder sa valeur';
    keep.addEventListener('click', () => {
      form.elements.status.value = theirs.status;
      form.elements.note.value = theirs.note;
      form.elements.version.value = String(theirs.version);
      badge(form, theirs.status);
      box.remove();
      say(form, 'Valeur de l’autre auditeur conservée.');
    });
    const mine = document.createElement('button');
    mine.type = 'button';
    mine.className = 'fr-btn fr-btn--sm';
    mine.textContent = 'Enregistrer ma valeur à la place';
    mine.addEventListener('click', () => {
      form.elements.version.value = String(theirs.version);
      box.remove();
      save(form);
    });
    box.append(keep, mine);
    form.append(box);
    keep.focus();
    return;
  }
  say(form, (data && data.message) || 'Non enregistré : rechargez la page.');
}

for (const form of document.querySelectorAll('form.vigie-a11y-cell')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save(form);
  });
  form.elements.status.addEventListener('change', () => save(form));
  form.elements.note.addEventListener('change', () => save(form));
}

const print = document.getElementById('imprimer');
if (print) {
  print.hidden = false;
  print.addEventListener('click', () => window.print());
}
