import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestEnvironment, freePort, waitFor, type TestEnvironment } from '@switchboard/testing';

const ROOT = process.cwd();

/** The first fenced block of `language` after the heading `heading` in the README. */
function readmeBlock(heading: string, language: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n## ${heading}\n`);
  if (at === -1) throw new Error(`README has no "## ${heading}"`);
  const match = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(readme.slice(at));
  if (!match?.[1]) throw new Error(`README's "${heading}" has no ${language} block`);
  return match[1];
}

/** Pids of every descendant of `pid` (from /proc), so the test can tell that none is left. */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (p: number) => {
    for (const child of children.get(p) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A newcomer's first hour, from the README: `npm start` in a fresh checkout (here: a folder
 * that links to this one, so its .env is its own), the walkthrough as written, the live-events
 * client as written, and `kill -TERM` of npm stopping everything it started.
 */
describe('the README, followed by a newcomer', () => {
  let env: TestEnvironment;
  let checkout: string;
  let npm: ChildProcess;
  let output = '';
  let port: number;
  let metricsPort: number;

  beforeAll(async () => {
    env = await createTestEnvironment('e2e-newcomer');
    checkout = mkdtempSync(join(tmpdir(), 'switchboard-newcomer-'));
    for (const entry of ['package.json', 'tools', 'dist', 'node_modules', 'apps', 'libs', 'bench', 'tsconfig.base.json', '.env.example']) {
      symlinkSync(join(ROOT, entry), join(checkout, entry));
    }
    port = await freePort();
    metricsPort = await freePort();
    // What the machine provides (ports free here); everything else comes from the .env that `npm start` writes.
    const machine = {
      DATABASE_URL: env.databaseUrl,
      REDIS_PREFIX: env.redisPrefix,
      PORT: String(port),
      WORKER_METRICS_PORT: String(metricsPort),
      LOG_LEVEL: 'warn',
      MEDIA_DIR: join(checkout, 'media'),
    };
    npm = spawn('npm', ['start'], { cwd: checkout, env: { ...process.env, ...machine }, stdio: ['ignore', 'pipe', 'pipe'] });
    npm.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      async () => {
        if (npm.exitCode !== null) throw new Error(`npm start exited: ${output}`);
        return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200;
      },
      { timeoutMs: 30_000, description: 'npm start to serve /readyz' },
    );
  }, 40_000);

  afterAll(async () => {
    if (npm && npm.exitCode === null) {
      for (const pid of descendantsOf(npm.pid as number)) process.kill(pid, 'SIGKILL');
      npm.kill('SIGKILL');
    }
    if (checkout) rmSync(checkout, { recursive: true, force: true });
    await env?.cleanup();
  });

  it('writes a .env with a fresh admin key and prints it', () => {
    const admin = /^ADMIN_API_KEY=(.+)$/m.exec(readFileSync(join(checkout, '.env'), 'utf8'))?.[1];
    expect(admin).toMatch(/^admin_/);
    expect(output).toContain(`Admin key: ${admin}`);
  });

  let key = '';
  let account = '';
  let message = '';

  it('runs the walkthrough as written: tenant, account, QR login, a message that is read', async () => {
    const script = readmeBlock('Walkthrough with the sandbox', 'sh').replace('API=http://localhost:3000', `API=http://127.0.0.1:${port}`);
    const shell = spawn('bash', ['-e', '-c', `${script}\necho "RESULT KEY=$KEY ACCOUNT=$ACCOUNT MESSAGE=$MESSAGE"`], { cwd: checkout, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    shell.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    shell.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const [code] = (await once(shell, 'exit')) as [number];
    expect({ code, printed }).toMatchObject({ code: 0 });
    const result = /RESULT KEY=(\S+) ACCOUNT=(\S+) MESSAGE=(\S+)/.exec(printed);
    expect(result).not.toBeNull();
    [, key, account, message] = result as unknown as string[];

    await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/v1/messages/${message}`, { headers: { authorization: `Bearer ${key}` } });
        return ((await res.json()) as { status: string }).status === 'read';
      },
      { timeoutMs: 20_000, description: 'the walkthrough message to be read' },
    );
    // The worker's metrics, as the operations guide says.
    const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(await metrics.text()).toMatch(/switchboard_worker_live_sessions\{provider="sandbox"/);
  });

  it('runs the live-events client as written and sees a contact write', async () => {
    const client = readmeBlock('Live events', 'js').replace("'http://localhost:3000'", `'http://127.0.0.1:${port}'`);
    const file = join(checkout, 'live-events-client.js');
    writeFileSync(file, `${client}\nsetTimeout(() => process.exit(0), 20_000);\n`);
    const node = spawn(process.execPath, [file], { cwd: checkout, env: { ...process.env, SWITCHBOARD_KEY: key }, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    node.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    node.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    try {
      // Written until the client is surely listening: each write is a new message.
      await waitFor(
        async () => {
          await fetch(`http://127.0.0.1:${port}/v1/sandbox/accounts/${account}/incoming`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ from: 'alice', text: 'hi from the README' }),
          });
          return /message\.received .*hi from the README/.test(printed);
        },
        { timeoutMs: 15_000, recheckMs: 300, description: `the client to print the message; it printed: ${printed}` },
      );
    } finally {
      node.kill('SIGKILL');
    }
    expect(printed).not.toMatch(/refused/);
  });

  it('stops the api and the worker when npm start gets SIGTERM, and exits', async () => {
    const started = descendantsOf(npm.pid as number);
    expect(started.length).toBeGreaterThanOrEqual(3);
    const exited = once(npm, 'exit');
    npm.kill('SIGTERM');
    await exited;
    await waitFor(() => started.every((pid) => !alive(pid)), { timeoutMs: 15_000, description: `every process npm start ran to exit (${started.join(', ')})` });
  });
});
