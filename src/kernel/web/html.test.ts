import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, raw } from './html.ts';

test('interpolated text is escaped, nested html is not', () => {
  const name = '<script>alert("x")</script>';
  const out = html`<p title="${name}">${name} ${html`<b>ok</b>`} ${raw('<i>trusted</i>')}</p>`;
  assert.equal(
    out.value,
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <b>ok</b> <i>trusted</i></p>',
  );
});

test('arrays are joined and empty values render nothing', () => {
  assert.equal(
    html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>${null}${undefined}${false}`.value,
    '<ul><li>a</li><li>b</li></ul>',
  );
});
