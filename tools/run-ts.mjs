#!/usr/bin/env node
// Runs a TypeScript script of this repo: bundles it with esbuild into .nx/run-ts, then runs it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { nodeBundleOptions } from './esbuild-options.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}
mkdirSync('.nx/run-ts', { recursive: true });
const outfile = resolve('.nx/run-ts', basename(entry).replace(/\.ts$/, '.js'));
await build({ ...nodeBundleOptions, entryPoints: [entry], outfile });
const result = spawnSync(process.execPath, ['--enable-source-maps', outfile, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
