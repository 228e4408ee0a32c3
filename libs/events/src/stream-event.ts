import type { ClientEvent, DomainEvent, EventKind } from '@switchboard/contracts';

/** An event read back from the stream: a domain event with its stream id. */
export type StreamEvent = DomainEvent & { id: string };

export const STREAM_FIELDS = { tenant: 't', account: 'a', kind: 'k', at: 'at', data: 'd' } as const;

export function encodeEvent(event: DomainEvent): string[] {
  return [
    STREAM_FIELDS.tenant, event.tenantId,
    STREAM_FIELDS.account, event.accountId,
    STREAM_FIELDS.kind, event.kind,
    STREAM_FIELDS.at, event.at,
    STREAM_FIELDS.data, JSON.stringify(event.data),
  ];
}

export function decodeEvent(id: string, fields: string[]): StreamEvent {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i] as string] = fields[i + 1] as string;
  return {
    id,
    tenantId: map[STREAM_FIELDS.tenant] ?? '',
    accountId: map[STREAM_FIELDS.account] ?? '',
    kind: map[STREAM_FIELDS.kind] as EventKind,
    at: map[STREAM_FIELDS.at] ?? '',
    data: JSON.parse(map[STREAM_FIELDS.data] ?? 'null'),
  };
}

/** What a client receives: no tenant id (a client only ever sees its own tenant). */
export function toClientEvent(event: StreamEvent): ClientEvent {
  return { id: event.id, kind: event.kind, accountId: event.accountId, at: event.at, data: event.data };
}
