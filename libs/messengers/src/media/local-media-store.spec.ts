import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { LocalMediaStore } from './local-media-store';

describe('LocalMediaStore', () => {
  let dir: string;
  let store: LocalMediaStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'media-store-'));
    store = new LocalMediaStore(dir);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keys bytes by their SHA-256 and reads them back as a buffer or a stream', async () => {
    const bytes = Buffer.from('hello media');
    const sha = await store.put(bytes);
    expect(sha).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await store.get(sha)).toEqual(bytes);
    const opened = await store.open(sha);
    expect(opened?.size).toBe(bytes.length);
    expect(await text(opened!.stream)).toBe('hello media');
  });

  it('stores equal bytes once and leaves no temporary files', async () => {
    const first = await store.put(Buffer.from('same'));
    const second = await store.put(Buffer.from('same'));
    expect(second).toBe(first);
    expect(await readdir(join(dir, first.slice(0, 2)))).toEqual([first]);
  });

  it('answers null for unknown or malformed keys instead of touching other paths', async () => {
    expect(await store.get('0'.repeat(64))).toBeNull();
    expect(await store.open('0'.repeat(64))).toBeNull();
    expect(await store.get('../../etc/passwd')).toBeNull();
  });
});
