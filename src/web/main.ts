import { createShareApi } from '../client/share-api.js';
import { startCreate } from './create-view.js';
import { NOT_FOUND, showProblem } from './dom.js';
import { startLanguage } from './language-switch.js';
import { startReceipt } from './receipt-view.js';
import { isRequestPage, labelAskLink, startRequestPage } from './request-route.js';
import { startReveal } from './reveal-view.js';

/**
 * One page, four entry paths: `/s/<key>` reveals, `/r/<key>` is a receipt, `/` creates, and any
 * other path (the server answers it with this page and a 404 when a browser asks) is not found.
 */
startLanguage(); // before any view: the markup is said in the chosen language first
const api = createShareApi(location.origin);
const path = location.pathname;
if (path.startsWith('/s/')) startReveal(api, location.href);
else if (path.startsWith('/r/')) startReceipt(api, location.href);
else if (isRequestPage(path)) void startRequestPage(location.href);
else if (path === '/') startCreate(api, location.origin);
else showProblem(NOT_FOUND);
labelAskLink();
