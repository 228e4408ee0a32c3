import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where the browser tests leave their screenshots (gitignored). */
export const ARTIFACTS_DIR = join(process.cwd(), 'test-artifacts', 'console');

const CHROMIUM_FLAGS = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/**
 * Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) driven by playwright-core, which
 * never downloads a browser. Collects what the page logs as errors, for the "no errors" check.
 */
export class ConsoleBrowser {
  readonly errors: string[] = [];
  private shots = 0;

  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
  ) {
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console: ${message.text()}`);
    });
  }

  static async launch(baseUrl: string, viewport = { width: 1280, height: 800 }): Promise<ConsoleBrowser> {
    const asRoot = process.getuid?.() === 0;
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [...CHROMIUM_FLAGS, ...(asRoot ? ['--no-sandbox'] : [])],
    });
    const context = await browser.newContext({ baseURL: baseUrl, viewport });
    context.setDefaultTimeout(20_000);
    rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    return new ConsoleBrowser(browser, await context.newPage());
  }

  /** Saves a numbered screenshot of the page as a test artifact; returns its path. */
  async shot(name: string): Promise<string> {
    this.shots += 1;
    const path = join(ARTIFACTS_DIR, `${String(this.shots).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
