import type { Provider } from '@switchboard/contracts';
import type { WorkerConfig } from '@switchboard/config';

export interface ClientTimeouts {
  startMs: number;
  sendMs: number;
  stopMs: number;
}

/** Each provider's call timeouts, from the config. */
export function clientTimeoutsFrom(config: WorkerConfig): Record<Provider, ClientTimeouts> {
  return {
    sandbox: { startMs: config.START_TIMEOUT_MS_SANDBOX, sendMs: config.SEND_TIMEOUT_MS_SANDBOX, stopMs: config.STOP_TIMEOUT_MS_SANDBOX },
    whatsapp: { startMs: config.START_TIMEOUT_MS_WHATSAPP, sendMs: config.SEND_TIMEOUT_MS_WHATSAPP, stopMs: config.STOP_TIMEOUT_MS_WHATSAPP },
    telegram: { startMs: config.START_TIMEOUT_MS_TELEGRAM, sendMs: config.SEND_TIMEOUT_MS_TELEGRAM, stopMs: config.STOP_TIMEOUT_MS_TELEGRAM },
  };
}
