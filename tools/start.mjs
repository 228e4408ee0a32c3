#!/usr/bin/env node
// `npm start`: the whole system on one machine — builds, writes a .env with fresh
// secrets on first run, then runs one api and one worker until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

if (!existsSync('.env')) {
  const template = readFileSync('.env.example', 'utf8');
  const adminKey = `admin_${randomBytes(24).toString('base64url')}`;
  const filled = template
    .replace(/^ADMIN_API_KEY=.*$/m, `ADMIN_API_KEY=${adminKey}`)
    .replace(/^SESSION_ENCRYPTION_KEY=.*$/m, `SESSION_ENCRYPTION_KEY=${randomBytes(32).toString('base64')}`);
  writeFileSync('.env', filled, { mode: 0o600 });
  console.log(`Wrote .env with fresh secrets. Admin key: ${adminKey}`);
}

// esbuild takes well under a second: build every time, so a start never runs stale code.
const result = spawnSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

const children = ['api', 'worker'].map((app) =>
  spawn(process.execPath, ['--enable-source-maps', `dist/apps/${app}/main.js`], { stdio: 'inherit' }),
);
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill(signal);
};
// `npm start` runs this script through `sh -c "exec …"`, so npm's forwarded SIGTERM lands here;
// SIGHUP is a closed terminal. Each stops the api and the worker, and this process exits with them.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop('SIGTERM'));
for (const child of children) {
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`a process exited (code ${code}); stopping the others`);
      stop('SIGTERM');
    }
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(code ?? 0);
  });
}
