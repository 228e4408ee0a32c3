import type { SendMessageService } from '../messages/send-message.service';
import type { WorkerMetrics } from './worker-metrics';

/** Counts and times the send service's jobs without touching it: its two entry points are wrapped. */
export function observeSends(sends: Pick<SendMessageService, 'send' | 'fail'>, metrics: Pick<WorkerMetrics, 'sendAttempted' | 'sendFailed'>): void {
  const send = sends.send.bind(sends);
  const fail = sends.fail.bind(sends);
  sends.send = async (accountId, messageId) => {
    const started = performance.now();
    try {
      const outcome = await send(accountId, messageId);
      metrics.sendAttempted(outcome.kind, (performance.now() - started) / 1000);
      return outcome;
    } catch (error) {
      metrics.sendAttempted('error', (performance.now() - started) / 1000);
      throw error;
    }
  };
  sends.fail = async (accountId, messageId, reason, token) => {
    await fail(accountId, messageId, reason, token);
    metrics.sendFailed();
  };
}
