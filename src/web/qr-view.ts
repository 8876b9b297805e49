import { byId } from './dom.js';
import { t } from './i18n.js';
import { sayKey } from './page-words.js';

const SVG = 'http://www.w3.org/2000/svg';
/** Light modules around the code, as the QR standard asks. */
const QUIET = 4;

/**
 * The share link's QR code, drawn on demand: the library loads (its own chunk) only when the
 * sender presses "Show QR code", so the page's first load stays small. It is drawn here from the
 * link in the field, so the key in its fragment never leaves the browser.
 */
export function wireQr(link: () => string): void {
  const button = byId<HTMLButtonElement>('show-qr');
  const box = byId('qr-box');
  button.addEventListener('click', () => {
    if (!box.hidden) return hideQr();
    void import('../client/qr-matrix.js').then(({ qrMatrix }) => {
      byId('qr-code').replaceChildren(drawQr(qrMatrix(link())));
      box.hidden = false;
      sayKey(button, 'result.hide-qr');
      button.setAttribute('aria-expanded', 'true');
    });
  });
}

/** Back to the closed state, for the next share (its link has another code). */
export function hideQr(): void {
  const button = byId<HTMLButtonElement>('show-qr');
  const box = byId('qr-box');
  box.hidden = true;
  byId('qr-code').replaceChildren();
  sayKey(button, 'result.show-qr');
  button.setAttribute('aria-expanded', 'false');
}

/** Black modules on white, whatever the colour scheme: scanners expect dark on light. */
function drawQr(matrix: readonly (readonly boolean[])[]): SVGSVGElement {
  const size = matrix.length + 2 * QUIET;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('result.qr-label'));
  svg.setAttribute('data-i18n-attr', 'aria-label:result.qr-label');
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.classList.add('qr');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#fff');
  let d = '';
  matrix.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x + QUIET} ${y + QUIET}h1v1h-1z`;
    });
  });
  const modules = document.createElementNS(SVG, 'path');
  modules.setAttribute('d', d);
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
}
