import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const LOG_DIR = join(process.cwd(), '.nx', 'test-logs');

/** A real Switchboard process (api or worker) started from dist/, its output kept in a log file. */
export class ManagedProcess {
  readonly child: ChildProcess;
  readonly logPath: string;
  private output = '';
  private readonly waiters: { pattern: RegExp; resolve: () => void }[] = [];

  constructor(
    readonly name: string,
    script: string,
    env: Record<string, string>,
    /** Extra node flags (e.g. --cpu-prof, which NODE_OPTIONS does not allow). */
    nodeArgs: readonly string[] = [],
  ) {
    mkdirSync(LOG_DIR, { recursive: true });
    this.logPath = join(LOG_DIR, `${name}-${Date.now()}.log`);
    const log = createWriteStream(this.logPath);
    this.child = spawn(process.execPath, ['--enable-source-maps', ...nodeArgs, script], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (chunk: Buffer) => {
      log.write(chunk);
      this.output = (this.output + chunk.toString()).slice(-200_000);
      for (const waiter of [...this.waiters]) {
        if (waiter.pattern.test(this.output)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      }
    };
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
    this.child.on('exit', () => log.end());
  }

  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the process prints a line matching `pattern` (or already has). */
  waitForOutput(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    if (pattern.test(this.output)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms; log: ${this.logPath}`)), timeoutMs);
      this.waiters.push({
        pattern,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (!this.running) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGCONT');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  /** Resolves when the process exits by itself (with its signal, if one ended it). */
  async waitForExit(timeoutMs = 20_000): Promise<NodeJS.Signals | null> {
    if (!this.running) return this.child.signalCode;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms; log: ${this.logPath}`)), timeoutMs);
    });
    try {
      const [, signal] = (await Promise.race([once(this.child, 'exit'), timeout])) as [number | null, NodeJS.Signals | null];
      return signal;
    } finally {
      clearTimeout(timer);
    }
  }

  async kill9(): Promise<void> {
    if (!this.running) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  tail(lines = 40): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }
}
