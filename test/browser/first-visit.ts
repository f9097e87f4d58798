import type { BrowserContext, Page } from 'playwright-core';

/** One resource a page fetched, with the bytes that crossed the network (compressed as sent). */
export interface Transfer {
  url: string;
  bytes: number;
  encoding: string | undefined;
}

/**
 * Opens `url` in a new page of `context` as a first visit (browser cache disabled) and records every resource fetched,
 * fonts included: it waits for the fonts the text uses, then for the network to settle again. Used by the first-visit
 * weight tests and the observatoire benchmark, so that the budget and the figure measure the same thing.
 */
export async function recordFirstVisit(context: BrowserContext, url: string): Promise<{ page: Page; transfers: Transfer[] }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const responses = new Map<string, { url: string; encoding: string | undefined }>();
  const transfers: Transfer[] = [];
  cdp.on('Network.responseReceived', (event) => {
    const headers = Object.fromEntries(Object.entries(event.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    responses.set(event.requestId, { url: event.response.url, encoding: headers['content-encoding'] });
  });
  cdp.on('Network.loadingFinished', (event) => {
    const response = responses.get(event.requestId);
    if (response?.url.startsWith('data:')) return; // inline in the stylesheet, already counted there
    transfers.push({ url: response?.url ?? event.requestId, bytes: event.encodedDataLength, encoding: response?.encoding });
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForLoadState('networkidle');
  return { page, transfers };
}
