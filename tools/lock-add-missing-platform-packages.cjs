// Adds the lock entries `npm ci` reports as "Missing: <name>@ from lock file": optional platform
// binaries (swc, msgpackr-extract, …) that this workplace's registry does not serve, so `npm install`
// drops them from the lock and `npm ci` then refuses it. Run after changing dependencies:
//   npm ci --dry-run 2>&1 | sed -n 's/^npm error Missing: \(.*\)@.* from lock file$/\1/p' > /tmp/missing.txt
//   node tools/lock-add-missing-platform-packages.cjs /tmp/missing.txt && npm ci --dry-run
const fs = require('fs');
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const missing = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').filter(Boolean);
const cpus = ['arm', 'arm64', 'x64', 'ia32', 'ppc64', 's390x', 'loong64', 'riscv64'];
for (const name of missing) {
  const parent = Object.values(lock.packages).find((p) => (p.optionalDependencies || {})[name]);
  if (!parent) throw new Error(`no parent declares ${name}`);
  const [os, cpu] = name.split('/').pop().replace(/^(core|msgpackr-extract|resolver-binding)-/, '').split('-');
  if (!cpus.includes(cpu)) throw new Error(`cannot tell the cpu of ${name}`);
  const entry = { version: parent.optionalDependencies[name] };
  if (parent.dev) entry.dev = true;
  entry.optional = true;
  entry.os = [os];
  entry.cpu = [cpu];
  lock.packages[`node_modules/${name}`] = entry;
}
const [rootEntry, ...rest] = Object.entries(lock.packages);
lock.packages = Object.fromEntries([rootEntry, ...rest.sort(([a], [b]) => a.localeCompare(b, "en"))]);
fs.writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${missing.length} entries`);
