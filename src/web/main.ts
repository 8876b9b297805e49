import { createShareApi } from '../client/share-api.js';
import { startCreate } from './create-view.js';
import { startReceipt } from './receipt-view.js';
import { startReveal } from './reveal-view.js';

/** One page, three entry paths: `/s/<key>` reveals, `/r/<key>` is a receipt, anything else creates. */
const api = createShareApi(location.origin);
const path = location.pathname;
if (path.startsWith('/s/')) startReveal(api, location.href);
else if (path.startsWith('/r/')) startReceipt(api, location.href);
else startCreate(api, location.origin);
