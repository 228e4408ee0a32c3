/** A data centre a new session starts on: `TELEGRAM_DC` = `<dcId>@<ipv4>[:<port>]`. */
export interface TelegramDc {
  id: number;
  ipAddress: string;
  /**
   * gramjs always dials port 80 (443 for file transfers and other DCs), whatever the session
   * says; a port here replaces both, for a self-hosted MTProto server (or the fake) elsewhere.
   */
  port?: number;
}

export interface TelegramClientSettings {
  apiId: number;
  apiHash: string;
  /** Where a new (empty) session starts; a restored session keeps the DC it names. */
  dc?: TelegramDc;
  /** PEM RSA public keys (SPKI or PKCS#1) of the data centres, beside Telegram's own. */
  serverKeys?: string[];
  /** `socks5://host:port`: gramjs's own SOCKS5 support. */
  proxy?: string;
  /** Deadline of the connect and of every call, ms. gramjs's own waits can be endless. */
  callTimeoutMs?: number;
  /** Connection attempts before connect fails (gramjs's default is infinite). */
  connectionRetries?: number;
}

export const DEFAULT_CALL_TIMEOUT_MS = 15_000;
export const DEFAULT_CONNECTION_RETRIES = 2;

const DC_PATTERN = /^(\d{1,3})@(\d{1,3}(?:\.\d{1,3}){3})(?::(\d{1,5}))?$/;

/** Parses `TELEGRAM_DC`; throws an error naming the setting when it is malformed. */
export function parseTelegramDc(value: string): TelegramDc {
  const match = DC_PATTERN.exec(value.trim());
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (!match || (port !== undefined && (port < 1 || port > 65_535))) {
    throw new Error(`TELEGRAM_DC must look like <dcId>@<ipv4>[:<port>], e.g. 2@149.154.167.40; got "${value}"`);
  }
  return { id: Number(match[1]), ipAddress: match[2], port };
}

/** Parses `TELEGRAM_PROXY` (`socks5://host:port`) into gramjs's proxy settings. */
export function parseTelegramProxy(value: string): { ip: string; port: number; socksType: 5 } {
  const url = new URL(value);
  if (url.protocol !== 'socks5:' || !url.hostname || !url.port) {
    throw new Error(`TELEGRAM_PROXY must look like socks5://host:port; got "${value}"`);
  }
  return { ip: url.hostname, port: Number(url.port), socksType: 5 };
}
