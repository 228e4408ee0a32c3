import type { Figures } from './figures';

/**
 * Memory per real client (gramjs against a fake data centre, whatsapp-web.js against a fake
 * page) needs those adapters and their offline harnesses; this build has neither yet.
 */
export const REAL_CLIENTS_NOTE = 'not measured: no harness yet';

export function realClientFigures(): Figures {
  return { gramjs_mb_per_client: null, whatsapp_mb_per_session: null };
}
