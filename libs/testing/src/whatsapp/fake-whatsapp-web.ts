import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FakeWhatsAppPage, type LinkedDevice, type PageReport } from './fake-whatsapp-page';

/** How the page's message keys carry their id: `_serialized` until July 2026, `$1` since. */
export type MessageKeyShape = '_serialized' | '$1';

/**
 * Chromium blocks fetch/EventSource from https://web.whatsapp.com to loopback addresses (Local
 * Network Access); the page talks to the driver on 127.0.0.1, so browsers under test need this.
 */
export const FAKE_WHATSAPP_WEB_CHROMIUM_ARGS: readonly string[] = ['--disable-features=LocalNetworkAccessChecks'];

const PAGE_SCRIPT_FILE = 'fake-whatsapp-web.page.js';

/**
 * The page's script, read when a page is written: beside this file under jest, and from the
 * source tree (relative to the repository root) in a bundle such as dist/bench.
 */
function readPageScript(): string {
  const candidates = [join(__dirname, PAGE_SCRIPT_FILE), join(process.cwd(), 'libs/testing/src/whatsapp', PAGE_SCRIPT_FILE)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`the fake WhatsApp Web page script is missing: looked at ${candidates.join(', ')}`);
  return readFileSync(found, 'utf8');
}

/**
 * A fake WhatsApp Web: writes saved pages `<version>.html` into a folder that the real
 * whatsapp-web.js loads through its own `webVersionCache` (type `local`), and drives every page
 * that runs them over a loopback HTTP connection (commands by Server-Sent Events, reports and
 * results by POST). Works across processes: the browser may belong to another process (a worker).
 */
/** The network replaced a client because the same device came online elsewhere. */
export interface DeviceConflict {
  phone: string;
  lid: string;
  replacedPage: string;
  byPage: string;
}

export class FakeWhatsAppWeb extends EventEmitter {
  readonly pages: FakeWhatsAppPage[] = [];
  /**
   * WhatsApp runs one client per linked device: when a device comes online while another page
   * runs it (a restored copy of a session whose old browser still runs), the older page gets
   * `CONFLICT`. Every such replacement is counted here.
   */
  readonly conflicts: DeviceConflict[] = [];
  private readonly claimed = new Set<FakeWhatsAppPage>();

  private constructor(
    private readonly server: Server,
    readonly cacheDirectory: string,
    readonly driverUrl: string,
  ) {
    super();
  }

  /** Starts the driver on 127.0.0.1 and writes the default page (version `fake-2.3000.0`). */
  static async start({ cacheDirectory }: { cacheDirectory: string }): Promise<FakeWhatsAppWeb> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const fake = new FakeWhatsAppWeb(server, cacheDirectory, `http://127.0.0.1:${port}`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => fake.handle(request, response));
    fake.writeVersion(FakeWhatsAppWeb.defaultVersion);
    return fake;
  }

  static readonly defaultVersion = 'fake-2.3000.0';

  /** Writes `<cacheDirectory>/<version>.html`, a page whose message keys have the given shape. */
  writeVersion(version: string, { messageKey = '_serialized' }: { messageKey?: MessageKeyShape } = {}): string {
    const config = JSON.stringify({ driverUrl: this.driverUrl, version, messageKey });
    const html =
      '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>WhatsApp</title>' +
      `<script>${readPageScript().replace('__FAKE_CONFIG__', () => config)}</script></head><body></body></html>`;
    mkdirSync(this.cacheDirectory, { recursive: true });
    writeFileSync(join(this.cacheDirectory, `${version}.html`), html);
    return version;
  }

  /** The first page that connected and was not claimed yet (waits for one). */
  async claimPage({ timeoutMs = 20_000 }: { timeoutMs?: number } = {}): Promise<FakeWhatsAppPage> {
    const free = () => this.pages.find((page) => !this.claimed.has(page) && page.connected);
    const page =
      free() ??
      (await new Promise<FakeWhatsAppPage>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.off('page', onPage);
          reject(new Error(`no fake WhatsApp Web page connected within ${timeoutMs} ms`));
        }, timeoutMs);
        const onPage = () => {
          const found = free();
          if (!found) return;
          clearTimeout(timer);
          this.off('page', onPage);
          resolve(found);
        };
        this.on('page', onPage);
      }));
    this.claimed.add(page);
    return page;
  }

  async stop(): Promise<void> {
    for (const page of this.pages) page.disconnect();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    response.setHeader('access-control-allow-origin', '*');
    const url = new URL(request.url ?? '/', this.driverUrl);
    if (request.method === 'OPTIONS') {
      response.setHeader('access-control-allow-headers', 'content-type');
      response.writeHead(204).end();
      return;
    }
    if (request.method === 'GET' && url.pathname === '/commands') {
      this.connectPage(url.searchParams.get('page') ?? '', request, response);
      return;
    }
    if (request.method === 'POST' && (url.pathname === '/report' || url.pathname === '/result')) {
      readBody(request)
        .then((text) => {
          const body = JSON.parse(text) as { pageId: string } & Record<string, unknown>;
          const page = this.pages.find((candidate) => candidate.id === body.pageId);
          if (!page) {
            response.writeHead(404).end();
            return;
          }
          if (url.pathname === '/result') page.settle(body as never);
          else page.record(body as unknown as PageReport);
          response.writeHead(204).end();
        })
        .catch((error: unknown) => response.writeHead(400).end(String(error)));
      return;
    }
    response.writeHead(404).end();
  }

  private comeOnline(page: FakeWhatsAppPage, device: LinkedDevice): void {
    const sameDevice = (other: FakeWhatsAppPage) =>
      other !== page && other.connected && other.onlineAs?.phone === device.phone && other.onlineAs.lid === device.lid;
    for (const other of this.pages.filter(sameDevice)) {
      other.onlineAs = undefined;
      this.conflicts.push({ phone: device.phone, lid: device.lid, replacedPage: other.id, byPage: page.id });
      other.conflict().catch(() => undefined); // its browser may be closing already
    }
    page.onlineAs = device;
  }

  private connectPage(id: string, request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    response.write(':\n\n');
    const page = new FakeWhatsAppPage(id, (payload) => response.write(`data: ${JSON.stringify(payload)}\n\n`));
    this.pages.push(page);
    request.on('close', () => page.disconnect());
    page.on('report', (report: PageReport) => {
      if (report.type === 'online') this.comeOnline(page, report.data.device);
      this.emit('report', page, report);
    });
    this.emit('page', page);
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
