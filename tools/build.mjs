#!/usr/bin/env node
// Builds every runnable Node entry point into dist/ with esbuild (one bundle per app), and the
// web console (apps/web) into dist/apps/web with Vite, which the api serves at /.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { build as viteBuild } from 'vite';
import { nodeBundleOptions } from './esbuild-options.mjs';

const entries = [
  ['apps/api/src/main.ts', 'dist/apps/api/main.js'],
  ['apps/worker/src/main.ts', 'dist/apps/worker/main.js'],
  ['bench/main.ts', 'dist/bench/main.js'],
  // The fake Telegram data centre as a process, for end-to-end tests (never part of a deployment).
  ['libs/testing/src/fakes/telegram/fake-telegram-main.ts', 'dist/fake-telegram/main.js'],
].filter(([entry]) => existsSync(entry));
const webConfig = 'apps/web/vite.config.mjs';

const started = Date.now();
await Promise.all([
  ...entries.map(([entry, outfile]) => build({ ...nodeBundleOptions, entryPoints: [entry], outfile })),
  existsSync(webConfig) ? viteBuild({ configFile: webConfig }) : null,
]);
const outputs = [...entries.map(([, out]) => out), ...(existsSync(webConfig) ? ['dist/apps/web'] : [])];
console.log(`built ${outputs.join(', ')} in ${Date.now() - started} ms`);
