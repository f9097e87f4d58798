// Enhancements of the questionnaire (it works without them): characters left while typing, and the exclusive
// « Je n'ai pas eu besoin d'aide » box that clears the others. Loaded from /assets: the CSP forbids inline scripts.
for (const field of document.querySelectorAll('[data-max-length]')) {
  const max = Number(field.getAttribute('data-max-length'));
  const counter = document.getElementById(`${field.id}-limite`);
  if (!counter) continue;
  const english = document.documentElement.lang === 'en';
  const update = () => {
    const left = max - [...field.value].length;
    counter.textContent = english
      ? `${left} characters left`
      : `${left} caractère${Math.abs(left) > 1 ? 's' : ''} restant${Math.abs(left) > 1 ? 's' : ''}`;
  };
  field.addEventListener('input', update);
  update();
}

const boxes = [...document.querySelectorAll('input[name="help_tried"]')];
for (const box of boxes) {
  box.addEventListener('change', () => {
    if (!box.checked) return;
    const exclusive = box.hasAttribute('data-exclusive');
    for (const other of boxes) {
      if (other !== box && (exclusive || other.hasAttribute('data-exclusive'))) other.checked = false;
    }
  });
}

// Inside the modal widget, the frame tells the parent page to close (Escape, or the button of the thank-you page).
// The widget names the frame after its page's origin (a frame's name survives navigation, unlike storage, which
// browsers block in third-party frames); messages go to that origin only and carry no data, and the widget only
// listens to Vigie's own origin.
if (window.parent !== window && window.name.startsWith('vigie-avis ')) {
  let parentOrigin = null;
  try {
    parentOrigin = new URL(window.name.slice('vigie-avis '.length)).origin;
  } catch {
    parentOrigin = null;
  }
  const closeWidget = () => parentOrigin && window.parent.postMessage({ type: 'vigie-feedback', event: 'close' }, parentOrigin);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeWidget();
  });
  const closer = document.querySelector('[data-vigie-close]');
  if (closer && parentOrigin) {
    closer.hidden = false;
    closer.addEventListener('click', closeWidget);
  }
}
