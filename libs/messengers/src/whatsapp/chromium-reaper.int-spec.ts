import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromiumLaunchArgs } from './chromium-launch-args';
import { isProcessAlive } from './chromium-processes';
import { findChromium, reapChromium } from './chromium-reaper';

// A predecessor that launched Chromium through puppeteer and died by SIGKILL: its own process.
const PREDECESSOR = `
const puppeteer = require('puppeteer');
const args = JSON.parse(process.env.LAUNCH_ARGS).map((arg) => arg.replace('OWNER_PID', String(process.pid)));
puppeteer
  .launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args, userDataDir: process.env.PROFILE })
  .then((browser) => console.log('browser ' + browser.process().pid), (error) => { console.error(error); process.exit(1); });
`;

/** Every process (browser, zygotes, renderers, GPU, network) whose command line names the profile. */
function processesOnProfile(profile: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return isProcessAlive(Number(pid)) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profile);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('reaping Chromium left by a dead predecessor', () => {
  const profile = mkdtempSync(join(tmpdir(), 'sb-reaper-profile-'));
  const session = `reaper-test.${process.pid}`;

  afterAll(async () => {
    await reapChromium({ userDataDir: profile });
    rmSync(profile, { recursive: true, force: true });
  });

  it('finds the browser a predecessor killed with -9 left running, and kills it with all its processes', async () => {
    const launchArgs = chromiumLaunchArgs({ session, ownerPid: 0 }).map((arg) => arg.replace(`${session}:0`, `${session}:OWNER_PID`));
    const predecessor = spawn(process.execPath, ['-e', PREDECESSOR], {
      cwd: process.cwd(),
      env: { ...process.env, LAUNCH_ARGS: JSON.stringify(launchArgs), PROFILE: profile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(createInterface({ input: predecessor.stdout! }), 'line')) as [string];
    const browserPid = Number(/^browser (\d+)$/.exec(line)?.[1]);
    expect(browserPid).toBeGreaterThan(0);

    predecessor.kill('SIGKILL');
    await once(predecessor, 'exit');

    // puppeteer launched it detached: the browser outlives its owner, still holding the profile.
    expect(isProcessAlive(browserPid)).toBe(true);
    expect(findChromium({ orphaned: true }).map((browser) => browser.pid)).toContain(browserPid);
    expect(findChromium({ userDataDir: profile }).map((browser) => browser.pid)).toEqual([browserPid]);
    const [found] = findChromium({ session });
    expect(found).toMatchObject({ pid: browserPid, pgid: browserPid, marker: { session, ownerPid: predecessor.pid } });
    expect(processesOnProfile(profile).length).toBeGreaterThan(1);

    expect(await reapChromium({ session })).toEqual([browserPid]);

    expect(isProcessAlive(browserPid)).toBe(false);
    expect(findChromium({ session })).toEqual([]);
    // The helpers go with their browser (renderers notice the browser is gone on their own).
    await waitUntil(() => processesOnProfile(profile).length === 0, 'no process left on the profile');
  });
});

async function waitUntil(check: () => boolean, description: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
