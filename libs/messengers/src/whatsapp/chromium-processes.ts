import { readdirSync, readFileSync } from 'node:fs';
import { parseBrowserMarker, type BrowserMarker } from './chromium-launch-args';

/** A browser (main) process: the one that carries our marker or a `--user-data-dir`. */
export interface ChromiumProcess {
  pid: number;
  /** Process group: puppeteer launches Chromium detached, so the browser leads its own group. */
  pgid: number;
  args: string[];
  marker: BrowserMarker | undefined;
  userDataDir: string | undefined;
}

/** Chromium browser processes on this machine (Linux `/proc`); helpers (renderers, zygotes) are left out. */
export function listChromiumProcesses(): ChromiumProcess[] {
  const found: ChromiumProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const args = readCommandLine(pid);
    if (!args || !/chrom/i.test(args[0] ?? '') || args.some((arg) => arg.startsWith('--type='))) continue;
    const pgid = readProcessGroup(pid);
    if (pgid === undefined) continue;
    const userDataDir = args.find((arg) => arg.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
    found.push({ pid, pgid, args, marker: parseBrowserMarker(args), userDataDir });
  }
  return found;
}

/** Alive means running: a zombie (dead, not yet reaped by a parent that may never reap it) is dead. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return readStatFields(pid)?.[0] !== 'Z';
}

function readCommandLine(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw ? raw.split('\0').filter(Boolean) : undefined;
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

function readProcessGroup(pid: number): number | undefined {
  const fields = readStatFields(pid);
  return fields ? Number(fields[2]) : undefined;
}

/** `/proc/<pid>/stat` after the parenthesised command name: state ppid pgrp … */
function readStatFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}
