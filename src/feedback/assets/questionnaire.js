// Enhancements of the questionnaire (it works without them): characters left while typing, and the exclusive
// « Je n'ai pas eu besoin d'aide » box that clears the others. Loaded from /assets: the CSP forbids inline scripts.
for (const field of document.querySelectorAll('[data-max-length]')) {
  const max = Number(field.getAttribute('data-max-length'));
  const counter = document.getElementById(`${field.id}-limite`);
  if (!counter) continue;
  const english = document.documentElement.lang === 'en';
  const update = () => {
    const left = max - [...field.value].length;
    counter.textContent = english ? `${left} characters left` : `${left} caractère${Math.abs(left) > 1 ? 's' : ''} restant${Math.abs(left) > 1 ? 's' : ''}`;
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

// Inside the modal widget: the thank-you page offers to close it, by a message sent only to the procedure's own origin.
const closer = document.querySelector('[data-vigie-close]');
if (closer && window.parent !== window) {
  const origin = closer.getAttribute('data-parent-origin');
  closer.hidden = false;
  closer.addEventListener('click', () => window.parent.postMessage({ type: 'vigie-feedback', event: 'close' }, origin));
}
