import { resolve } from 'node:path';
import { isProcessAlive, listChromiumProcesses, type ChromiumProcess } from './chromium-processes';

export interface ReapFilter {
  /** Browsers marked for this session (`formatBrowserMarker`). */
  session?: string;
  /** Browsers running on this profile folder (they lock it: "The browser is already running"). */
  userDataDir?: string;
  /** Marked browsers whose launching process is dead, whatever session they served. */
  orphaned?: boolean;
}

/**
 * Kills browsers left behind by a dead predecessor. `kill -9` of a worker leaves its Chromium
 * running (puppeteer launches it detached), still holding the profile and the WhatsApp
 * connection; a restore elsewhere would then meet `CONFLICT`. Kills each browser's whole process
 * group and waits until the browser is gone; answers the pids it killed.
 */
export async function reapChromium(filter: ReapFilter, { timeoutMs = 10_000 }: { timeoutMs?: number } = {}): Promise<number[]> {
  const victims = findChromium(filter);
  for (const browser of victims) kill(browser);
  const deadline = Date.now() + timeoutMs;
  for (const browser of victims) {
    while (isProcessAlive(browser.pid)) {
      if (Date.now() > deadline) throw new Error(`Chromium ${browser.pid} survived SIGKILL for ${timeoutMs} ms`);
      await new Promise((done) => setTimeout(done, 20));
    }
  }
  return victims.map((browser) => browser.pid);
}

/** The browser processes `reapChromium(filter)` would kill. */
export function findChromium(filter: ReapFilter): ChromiumProcess[] {
  return listChromiumProcesses().filter((browser) => matches(browser, filter));
}

function matches(browser: ChromiumProcess, filter: ReapFilter): boolean {
  if (browser.pid === process.pid) return false;
  if (filter.session !== undefined && browser.marker?.session === filter.session) return true;
  if (filter.userDataDir !== undefined && browser.userDataDir !== undefined && resolve(browser.userDataDir) === resolve(filter.userDataDir)) return true;
  if (filter.orphaned && browser.marker && !isProcessAlive(browser.marker.ownerPid)) return true;
  return false;
}

function kill(browser: ChromiumProcess): void {
  // The group takes the renderers and the zygote along; never signal our own group.
  const ownGroup = browser.pgid === process.pid;
  try {
    if (browser.pgid === browser.pid && !ownGroup) process.kill(-browser.pgid, 'SIGKILL');
    else process.kill(browser.pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
