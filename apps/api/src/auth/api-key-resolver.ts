import { hashApiKey, type ResolvedKey } from '@switchboard/db';

export interface ApiKeyLookup {
  resolveKey(apiKey: string): Promise<ResolvedKey | null>;
}

export interface ApiKeyResolverOptions {
  /** How long a resolved key is trusted without asking PostgreSQL again. */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Tenant key → tenant, with a short cache so every request is not a database round trip.
 * Revocation drops the key at once here (and on every api instance via the control channel);
 * the TTL bounds how long a missed revocation message could leave a key usable.
 */
export class ApiKeyResolver {
  private readonly cache = new Map<string, { key: ResolvedKey; expiresAt: number }>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** Bumped on every revocation: a lookup that raced one is not cached. */
  private revocations = 0;

  constructor(
    private readonly lookup: ApiKeyLookup,
    options: ApiKeyResolverOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async resolve(apiKey: string): Promise<ResolvedKey | null> {
    const hash = hashApiKey(apiKey);
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > this.now()) return cached.key;
    this.cache.delete(hash);

    const revocationsBefore = this.revocations;
    const key = await this.lookup.resolveKey(apiKey);
    if (key && revocationsBefore === this.revocations) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(hash, { key, expiresAt: this.now() + this.ttlMs });
    }
    return key;
  }

  /** Forgets a revoked key. */
  invalidateKey(keyId: string): void {
    this.revocations += 1;
    for (const [hash, entry] of this.cache) if (entry.key.keyId === keyId) this.cache.delete(hash);
  }
}
