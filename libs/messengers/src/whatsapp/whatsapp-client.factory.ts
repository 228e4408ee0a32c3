import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuthStrategy, Client } from 'whatsapp-web.js';
import { chromiumLaunchArgs } from './chromium-launch-args';
import { WhatsAppWebPageMissingError } from './whatsapp-web-page-missing.error';

/** Where the browser and the WhatsApp Web page come from (worker settings). */
export interface WhatsAppBrowserSettings {
  /** `CHROMIUM_PATH`: Debian's Chromium; puppeteer never downloads one. */
  chromiumPath: string;
  /** `CHROMIUM_ARGS`: extra flags, after ours. */
  chromiumArgs: readonly string[];
  /** `WHATSAPP_WEB_VERSION`: the WhatsApp Web version to load. */
  webVersion: string;
  /** `WHATSAPP_WEB_CACHE_DIR`: saved pages, `<version>.html`. */
  webCacheDirectory: string;
}

export interface WhatsAppClientOptions {
  settings: WhatsAppBrowserSettings;
  /** Names the browser on its command line (reaping after a crash): e.g. `whatsapp.<accountId>`. */
  session: string;
  authStrategy?: AuthStrategy;
  /** QR codes shown before the library gives up (`disconnected('Max qrcode retries reached')`); 0: forever. */
  qrMaxRetries?: number;
  /** Link by pairing code typed into the phone instead of a QR. */
  pairWithPhoneNumber?: { phoneNumber: string; showNotification?: boolean; intervalMs?: number };
  /** How long `initialize()` waits for the page to come up (the library then rejects with the string 'auth timeout'). */
  authTimeoutMs?: number;
  /** The process that owns the browser (default: this one), recorded in the browser's marker. */
  ownerPid?: number;
}

export function savedWebPagePath(settings: Pick<WhatsAppBrowserSettings, 'webVersion' | 'webCacheDirectory'>): string {
  return join(resolve(settings.webCacheDirectory), `${settings.webVersion}.html`);
}

/**
 * A whatsapp-web.js Client on Debian's Chromium that loads WhatsApp Web only from a saved page
 * (the library's strict local webVersionCache): a missing page fails here, before a browser starts.
 * The library (and puppeteer) load on first use, so processes without WhatsApp never load them.
 */
export async function createWhatsAppClient(options: WhatsAppClientOptions): Promise<Client> {
  const { settings } = options;
  const pagePath = savedWebPagePath(settings);
  if (!existsSync(pagePath)) throw new WhatsAppWebPageMissingError(settings.webVersion, pagePath);
  const { Client } = await import('whatsapp-web.js');
  return new Client({
    authStrategy: options.authStrategy,
    webVersion: settings.webVersion,
    webVersionCache: { type: 'local', path: resolve(settings.webCacheDirectory), strict: true },
    qrMaxRetries: options.qrMaxRetries ?? 0,
    authTimeoutMs: options.authTimeoutMs,
    pairWithPhoneNumber: options.pairWithPhoneNumber,
    puppeteer: {
      executablePath: settings.chromiumPath,
      headless: true,
      args: chromiumLaunchArgs({ session: options.session, ownerPid: options.ownerPid ?? process.pid }, settings.chromiumArgs),
      // The worker's ordered shutdown destroys its clients; puppeteer's own signal handlers would
      // close browsers under it (and then leave the process running).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    },
  });
}
