/**
 * Puppeteer must never download a browser: Switchboard drives Debian's Chromium.
 * @type {import('puppeteer').Configuration}
 */
module.exports = {
  skipDownload: true,
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
};
