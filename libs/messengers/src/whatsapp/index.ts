export { CHROMIUM_ROOT_FLAGS, BROWSER_MARKER_SWITCH, chromiumLaunchArgs, formatBrowserMarker, parseBrowserMarker, type BrowserMarker } from './chromium-launch-args';
export { listChromiumProcesses, isProcessAlive, type ChromiumProcess } from './chromium-processes';
export { findChromium, reapChromium, type ReapFilter } from './chromium-reaper';
export { createWhatsAppClient, savedWebPagePath, type WhatsAppBrowserSettings, type WhatsAppClientOptions } from './whatsapp-client.factory';
export { WhatsAppWebPageMissingError } from './whatsapp-web-page-missing.error';
export { isStrayBrowserRejection } from './stray-browser-rejection';
