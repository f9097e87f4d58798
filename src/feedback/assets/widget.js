// « Je donne mon avis » modal widget for the procedure's own site. Progressive enhancement of a plain link
// (<a href=".../avis/b/KEY" data-vigie-avis>): without JavaScript the link opens the questionnaire normally.
// The dialog traps focus, closes on Escape or its button, gives focus back to the link, and only listens to
// messages coming from Vigie's own origin and from its own frame.
(() => {
  const script = document.currentScript;
  const vigieOrigin = new URL(script ? script.src : location.href).origin;
  // A closed dialog stays hidden in the page this long before it is removed (see close()).
  const REMOVE_AFTER_MS = 1000;
  let open = null;
  let closed = null;

  // Closing hides the dialog at once but removes it (and its frame) a moment later, or as soon as another dialog
  // opens. The keystroke or click that closed it may have been aimed at the frame (Escape or the thank-you page's
  // button, relayed by postMessage) and still be in delivery: in Chromium an input event whose frame is torn down
  // under it can stay unacknowledged for good, and tools that wait for that acknowledgement (DevTools, Playwright) hang.
  function close() {
    if (!open) return;
    const { overlay, opener } = open;
    document.removeEventListener('keydown', onKey, true);
    document.removeEventListener('focusin', onFocusIn, true);
    for (const element of open.inerted) element.inert = false;
    overlay.style.display = 'none';
    open = null;
    opener.focus();
    discardClosed();
    closed = { overlay, timer: setTimeout(discardClosed, REMOVE_AFTER_MS) };
  }

  function discardClosed() {
    if (!closed) return;
    clearTimeout(closed.timer);
    closed.overlay.remove();
    closed = null;
  }

  function focusables(root) {
    return [...root.querySelectorAll('button, iframe, a[href], [tabindex]:not([tabindex="-1"])')];
  }

  function onKey(event) {
    if (!open) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      close();
      return;
    }
    if (event.key !== 'Tab') return;
    const items = focusables(open.dialog);
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    } else if (!open.dialog.contains(document.activeElement)) {
      event.preventDefault();
      first.focus();
    }
  }

  // Leaving the frame with Tab brings focus back to the parent page: keep it in the dialog.
  function onFocusIn(event) {
    if (open && !open.dialog.contains(event.target)) focusables(open.dialog)[0].focus();
  }

  function show(link) {
    discardClosed();
    const overlay = document.createElement('div');
    overlay.setAttribute('data-vigie-avis-overlay', '');
    Object.assign(overlay.style, {
      position: 'fixed',
      inset: '0',
      background: 'rgba(22,22,22,.64)',
      zIndex: '2147483000',
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'center',
    });
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', 'vigie-avis-titre');
    Object.assign(dialog.style, {
      background: '#fff',
      color: '#161616',
      width: 'min(720px, 96vw)',
      height: 'min(760px, 92vh)',
      display: 'flex',
      flexDirection: 'column',
      borderRadius: '4px',
    });
    const bar = document.createElement('div');
    Object.assign(bar.style, { display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '8px 16px' });
    const title = document.createElement('h2');
    title.id = 'vigie-avis-titre';
    title.textContent = 'Je donne mon avis';
    Object.assign(title.style, { margin: '0', fontSize: '1.25rem' });
    const closeButton = document.createElement('button');
    closeButton.type = 'button';
    closeButton.textContent = 'Fermer';
    closeButton.setAttribute('aria-label', 'Fermer la fenêtre « Je donne mon avis »');
    closeButton.addEventListener('click', close);
    const frame = document.createElement('iframe');
    frame.name = `vigie-avis ${location.origin}`;
    frame.src = link.href;
    frame.title = 'Questionnaire « Je donne mon avis »';
    Object.assign(frame.style, { border: '0', flex: '1', width: '100%' });
    bar.append(title, closeButton);
    dialog.append(bar, frame);
    overlay.append(dialog);
    overlay.addEventListener('click', (event) => {
      if (event.target === overlay) close();
    });
    const inerted = [...document.body.children].filter((element) => !element.inert && element.tagName !== 'SCRIPT');
    for (const element of inerted) element.inert = true;
    document.body.append(overlay);
    open = { overlay, dialog, frame, opener: link, inerted };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn, true);
    closeButton.focus();
  }

  window.addEventListener('message', (event) => {
    if (!open || event.origin !== vigieOrigin || event.source !== open.frame.contentWindow) return;
    if (event.data && event.data.type === 'vigie-feedback' && event.data.event === 'close') close();
  });

  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-vigie-avis]') : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (new URL(link.href).origin !== vigieOrigin) return;
    event.preventDefault();
    show(link);
  });
})();
