/**
 * Checks the deployment files by their content: no Docker engine runs on the development and CI
 * machines, so the images and the compose file cannot be built or started there. What can be
 * checked is that they say what the README promises. Needs no services (it sits with the
 * integration tests only because jest.int.config.js is the config whose roots include tests/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  base: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** A small Dockerfile reader: joins continued lines, drops comments, splits into stages. */
function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && pending === '')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of lines) {
    const [keyword, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const words = rest.filter((word) => !word.startsWith('--'));
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({ base: words[0], name: asIndex >= 0 ? words[asIndex + 1] : undefined, instructions: [] });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push({ keyword: keyword.toUpperCase(), args });
    }
  }
  return stages;
}

/** Instructions in force at `index` of `stage`: those of the stages it builds on, then its own. */
function instructionsBefore(stages: Stage[], stage: Stage, index: number): Instruction[] {
  const parent = stages.find((candidate) => candidate.name !== undefined && candidate.name === stage.base);
  const inherited = parent ? instructionsBefore(stages, parent, parent.instructions.length) : [];
  return [...inherited, ...stage.instructions.slice(0, index)];
}

const commandText = (value: unknown): string => (Array.isArray(value) ? value.join(' ') : String(value ?? ''));

type ComposeService = {
  command?: string | string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
};
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has postgres, redis, api and worker', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'api', 'worker']));
  });

  it('runs redis with noeviction and the append-only file (BullMQ must never lose a key)', () => {
    const command = commandText(services.redis.command);
    expect(command).toMatch(/--maxmemory-policy\s+noeviction/);
    expect(command).toMatch(/--appendonly\s+yes/);
  });

  it.each(['api', 'worker'])('gives %s a healthcheck, healthy dependencies and its settings', (name) => {
    const service = services[name];
    expect(commandText(service.healthcheck?.test)).not.toBe('');
    expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
    expect(service.depends_on?.redis?.condition).toBe('service_healthy');
    const env = service.environment ?? {};
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
    expect(env.REDIS_URL).toMatch(/^redis:\/\/redis:6379/);
    // `${VAR:?message}`: compose refuses to start without the secret instead of running with none.
    expect(env.ADMIN_API_KEY).toMatch(/^\$\{ADMIN_API_KEY:\?.+\}$/);
    expect(env.SESSION_ENCRYPTION_KEY).toMatch(/^\$\{SESSION_ENCRYPTION_KEY:\?.+\}$/);
  });

  it('starts workers after a healthy api, which applies the migrations', () => {
    expect(services.worker.depends_on?.api?.condition).toBe('service_healthy');
  });
});

describe.each([
  ['Dockerfile.api', 'dist/apps/api/main.js'],
  ['Dockerfile.worker', 'dist/apps/worker/main.js'],
])('%s', (file, entry) => {
  const stages = parseDockerfile(read(file));
  const final = stages[stages.length - 1];
  const finalOf = (keyword: string) => final.instructions.filter((i) => i.keyword === keyword);

  it('is multi-stage on Node 22', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0].base).toMatch(/^node:22\b/);
    expect(final.base).toMatch(/^node:22\b/);
  });

  it('runs the final stage as a non-root user', () => {
    const user = finalOf('USER').pop()?.args.split(':')[0];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('never lets puppeteer download a browser', () => {
    const installs = stages.flatMap((stage) =>
      stage.instructions.flatMap((instruction, index) =>
        instruction.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(instruction.args) ? [{ stage, index }] : [],
      ),
    );
    expect(installs.length).toBeGreaterThan(0);
    for (const { stage, index } of installs) {
      const before = instructionsBefore(stages, stage, index);
      const run = stage.instructions[index].args;
      const skipped =
        /PUPPETEER_SKIP_DOWNLOAD=(true|1)\b/.test(run) ||
        before.some((i) => i.keyword === 'ENV' && /PUPPETEER_SKIP_DOWNLOAD[= ]"?(true|1)\b/.test(i.args));
      expect(skipped).toBe(true);
      expect(before.some((i) => i.keyword === 'COPY' && i.args.includes('.puppeteerrc.cjs'))).toBe(true);
    }
  });

  it(`runs ${entry}, which npm run build produces`, () => {
    expect(commandText(finalOf('CMD').pop()?.args)).toContain(entry);
    expect(read('tools/build.mjs')).toContain(`'${entry}'`);
    expect(JSON.parse(read('package.json')).scripts.build).toBe('node tools/build.mjs');
  });

  it('has a healthcheck and sets NODE_ENV=production', () => {
    expect(finalOf('HEALTHCHECK')).toHaveLength(1);
    expect(finalOf('ENV').some((i) => /NODE_ENV=production\b/.test(i.args))).toBe(true);
  });
});

describe('Dockerfile.worker', () => {
  it("installs Debian's chromium in the final stage and points CHROMIUM_PATH at it", () => {
    const stages = parseDockerfile(read('Dockerfile.worker'));
    const final = stages[stages.length - 1].instructions;
    expect(final.some((i) => i.keyword === 'RUN' && /apt-get install[^&]*\bchromium\b/.test(i.args))).toBe(true);
    expect(final.some((i) => i.keyword === 'ENV' && /CHROMIUM_PATH=\/usr\/bin\/chromium\b/.test(i.args))).toBe(true);
  });
});

describe('.dockerignore', () => {
  it('keeps secrets and local installs out of the build context', () => {
    const entries = read('.dockerignore').split('\n').map((line) => line.trim());
    expect(entries).toEqual(expect.arrayContaining(['.env', 'node_modules', '.git']));
  });
});
