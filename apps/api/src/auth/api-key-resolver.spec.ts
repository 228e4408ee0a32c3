import type { ResolvedKey } from '@switchboard/db';
import { ApiKeyResolver, type ApiKeyLookup } from './api-key-resolver';

class CountingLookup implements ApiKeyLookup {
  calls = 0;
  constructor(private readonly keys: Record<string, ResolvedKey>) {}
  async resolveKey(apiKey: string): Promise<ResolvedKey | null> {
    this.calls += 1;
    return this.keys[apiKey] ?? null;
  }
}

const KEY_A = { keyId: 'key-a', tenantId: 'tenant-1' };

describe('ApiKeyResolver', () => {
  it('answers repeated lookups from the cache until the TTL passes', async () => {
    let now = 1_000;
    const lookup = new CountingLookup({ a: KEY_A });
    const resolver = new ApiKeyResolver(lookup, { ttlMs: 5_000, now: () => now });
    expect(await resolver.resolve('a')).toEqual(KEY_A);
    expect(await resolver.resolve('a')).toEqual(KEY_A);
    expect(lookup.calls).toBe(1);
    now += 5_001;
    await resolver.resolve('a');
    expect(lookup.calls).toBe(2);
  });

  it('asks the database again after a key is invalidated', async () => {
    const lookup = new CountingLookup({ a: KEY_A });
    const resolver = new ApiKeyResolver(lookup);
    await resolver.resolve('a');
    resolver.invalidateKey('key-a');
    await resolver.resolve('a');
    expect(lookup.calls).toBe(2);
  });

  it('does not cache a lookup that raced a revocation', async () => {
    const releases: ((key: ResolvedKey) => void)[] = [];
    const resolver = new ApiKeyResolver({ resolveKey: () => new Promise((resolve) => releases.push(resolve)) });
    const racing = resolver.resolve('a');
    resolver.invalidateKey('key-a');
    releases[0]!(KEY_A);
    await racing;
    const again = resolver.resolve('a');
    expect(releases).toHaveLength(2);
    releases[1]!(KEY_A);
    await again;
  });

  it('does not cache unknown keys', async () => {
    const lookup = new CountingLookup({});
    const resolver = new ApiKeyResolver(lookup);
    expect(await resolver.resolve('unknown')).toBeNull();
    expect(await resolver.resolve('unknown')).toBeNull();
    expect(lookup.calls).toBe(2);
  });

  it('evicts the oldest entry when full', async () => {
    const lookup = new CountingLookup({ a: KEY_A, b: { keyId: 'key-b', tenantId: 't' } });
    const resolver = new ApiKeyResolver(lookup, { maxEntries: 1 });
    await resolver.resolve('a');
    await resolver.resolve('b');
    await resolver.resolve('a');
    expect(lookup.calls).toBe(3);
  });
});
