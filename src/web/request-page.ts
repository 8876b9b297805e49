import { createRequestApi } from '../client/request-api.js';
import { startRequestCreate } from './request-create.js';
import { startRequestKeep } from './request-keep.js';
import { startRespond } from './request-respond.js';

/** Which request view an address is: the form, the link to keep, or the link to send. */
export function startRequestViews(href: string): void {
  const api = createRequestApi(location.origin);
  const path = new URL(href).pathname;
  if (path.startsWith('/respond/')) startRespond(api, href);
  else if (path.startsWith('/request/') && path !== '/request/') startRequestKeep(api, href);
  else startRequestCreate(api);
}
