import { ensureWebPage } from '../helpers/web-page.js';

/** The serving and browser tests load the built page: build it first on a fresh clone or after edits. */
export default async function setup() {
  await ensureWebPage();
}
