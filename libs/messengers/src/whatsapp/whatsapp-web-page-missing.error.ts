/** The saved WhatsApp Web page for the pinned version is not in the cache folder: never fall back to the network. */
export class WhatsAppWebPageMissingError extends Error {
  constructor(
    readonly webVersion: string,
    readonly pagePath: string,
  ) {
    super(
      `No saved WhatsApp Web page for version ${webVersion}: expected ${pagePath}. ` +
        'Save the page there (see the WhatsApp section of the README) or set WHATSAPP_WEB_VERSION to a saved version.',
    );
    this.name = 'WhatsAppWebPageMissingError';
  }
}
