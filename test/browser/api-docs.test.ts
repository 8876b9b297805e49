import { describe, expect, it } from 'vitest';
import { screenshot, useBrowserSuite } from './helpers.js';

/** The API docs (Swagger UI) in a real browser, under hush's Content-Security-Policy. */
describe('browser: /api/docs', () => {
  const suite = useBrowserSuite();

  it('works under its policy, and "Try it out" on create succeeds with the example as filled in', async () => {
    const page = await suite.freshPage();
    const documents: string[] = [];
    page.on('request', (request) => {
      if (/openapi\.json|\/json$|\/yaml$/.test(request.url()))
        documents.push(new URL(request.url()).pathname);
    });
    await page.goto(`${suite.live.base}/api/docs/`);
    expect(await page.title()).toBe('hush API');
    const create = page.locator('#operations-shares-post_api_v1_shares');
    await create.locator('.opblock-summary').click();
    await create.getByRole('button', { name: 'Try it out' }).click();
    await create.getByRole('button', { name: 'Execute' }).click();
    const status = create.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('201');
    await screenshot(page, 'api-docs-try-it-out');
    // The UI read the one document, however it asked for it.
    expect(documents.at(-1)).toBe('/api/openapi.json');
  });
});
