// Observatoire table: each column header's « Aide » link leads to the indicator's help page (works without JavaScript).
// When this script runs, the link becomes the DSFR button that opens the indicator's modal, rendered once in the page;
// DSFR's own script (observing the page) then handles opening, the focus trap, Escape and the focus going back.
for (const link of document.querySelectorAll('a[data-obs-modal]')) {
  const id = link.getAttribute('data-obs-modal');
  if (!document.getElementById(id)) continue;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'obs-help-link obs-help-button';
  button.setAttribute('aria-controls', id);
  button.setAttribute('data-fr-opened', 'false');
  button.append(...link.childNodes);
  link.replaceWith(button);
}
