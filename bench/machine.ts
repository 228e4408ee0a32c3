import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { availableParallelism, release, totalmem, type } from 'node:os';
import type { Redis } from 'ioredis';
import type { SwitchboardSystem } from '@switchboard/testing';

export interface Machine {
  os: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgres: string;
  redis: string;
  /** The commit measured, `+dirty` when the code under test (apps, libs but testing) differs from it. */
  commit: string;
}

function gitCommit(): string {
  try {
    const run = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = run('status', '--porcelain', '--untracked-files=no', '--', 'apps', 'libs', ':(exclude)libs/testing').length > 0;
    return `${run('rev-parse', '--short', 'HEAD')}${dirty ? '+dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

async function firstMatch(path: string, pattern: RegExp): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return pattern.exec(text)?.[1]?.trim();
}

async function redisVersion(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
}

export async function describeMachine(system: SwitchboardSystem): Promise<Machine> {
  const distro = await firstMatch('/etc/os-release', /^PRETTY_NAME="?([^"\n]+)"?$/m);
  const [pg] = await system.sql<{ v: string }>("select current_setting('server_version') as v");
  return {
    os: `${distro ?? type()} (${type()} ${release()})`,
    cpu: (await firstMatch('/proc/cpuinfo', /^model name\s*:\s*(.+)$/m)) ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    postgres: pg?.v ?? 'unknown',
    redis: await redisVersion(system.redis),
    commit: gitCommit(),
  };
}
