import { apiConfigSchema } from './api.config';
import { workerConfigSchema } from './worker.config';
import { ConfigError, loadConfig } from './load-config';

const key = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(apiConfigSchema, { ADMIN_API_KEY: 'a'.repeat(16), SESSION_ENCRYPTION_KEY: key });
    expect(config.PORT).toBe(3000);
    expect(config.PARTITIONS).toBe(64);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/switchboard');
    expect(config.SANDBOX_ENABLED).toBe(false);
  });

  it('names a missing variable in one line', () => {
    const load = () => loadConfig(apiConfigSchema, { SESSION_ENCRYPTION_KEY: key });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/ADMIN_API_KEY is missing/);
  });

  it('names an invalid variable and the reason', () => {
    try {
      loadConfig(workerConfigSchema, { SESSION_ENCRYPTION_KEY: 'short', PARTITIONS: 'many' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/SESSION_ENCRYPTION_KEY is invalid: must be 32 bytes/);
      expect(message).toMatch(/PARTITIONS is invalid/);
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it('keeps a sandbox client lapsing before the leases of its worker: half the lease by default, refused above', () => {
    expect(loadConfig(workerConfigSchema, { SESSION_ENCRYPTION_KEY: key }).SANDBOX_CLIENT_TTL_MS).toBe(2_000);
    expect(loadConfig(workerConfigSchema, { SESSION_ENCRYPTION_KEY: key, LEASE_TTL_MS: '2000' }).SANDBOX_CLIENT_TTL_MS).toBe(1_000);
    expect(() => loadConfig(workerConfigSchema, { SESSION_ENCRYPTION_KEY: key, LEASE_TTL_MS: '3000', SANDBOX_CLIENT_TTL_MS: '2000' })).toThrow(
      /SANDBOX_CLIENT_TTL_MS is invalid: must be at most half of LEASE_TTL_MS/,
    );
  });

  it('reads the WhatsApp browser settings: extra Chromium flags split on spaces, a saved page version', () => {
    const defaults = loadConfig(workerConfigSchema, { SESSION_ENCRYPTION_KEY: key });
    expect(defaults).toMatchObject({ CHROMIUM_PATH: '/usr/bin/chromium', CHROMIUM_ARGS: [], WHATSAPP_WEB_CACHE_DIR: 'data/whatsapp-web' });
    const config = loadConfig(workerConfigSchema, {
      SESSION_ENCRYPTION_KEY: key,
      CHROMIUM_ARGS: ' --lang=de  --disable-dev-shm-usage ',
      WHATSAPP_WEB_VERSION: '2.3000.1031490220',
    });
    expect(config.CHROMIUM_ARGS).toEqual(['--lang=de', '--disable-dev-shm-usage']);
    expect(config.WHATSAPP_WEB_VERSION).toBe('2.3000.1031490220');
    expect(() => loadConfig(workerConfigSchema, { SESSION_ENCRYPTION_KEY: key, WHATSAPP_WEB_VERSION: '../etc/passwd' })).toThrow(/WHATSAPP_WEB_VERSION is invalid/);
  });
});
