import type { MessageStatus } from '../api/api-types';

const GLYPHS: Record<MessageStatus, string> = {
  queued: '◷',
  sending: '◷',
  sent: '✓',
  delivered: '✓✓',
  read: '✓✓',
  failed: '!',
  received: '',
};

export function StatusTicks({ status }: { status: MessageStatus }) {
  if (status === 'received') return null;
  return (
    <span class={`ticks ticks-${status}`} data-status={status} role="img" aria-label={`status: ${status}`} title={status}>
      {GLYPHS[status]}
    </span>
  );
}
