import { z } from '../zod';
import { Uuid } from '../api/common.schema';

/**
 * Job payloads: ids and small values only. Handlers reload the rest from PostgreSQL.
 * Never a session, key, token or password here: a login input travels by reference
 * (`inputRef`, a short-lived encrypted Redis entry), because job data is stored in Redis
 * and shown in Bull Board.
 */
export const AccountConnectJob = z.object({ accountId: Uuid });
export const AccountLoginInputJob = z.object({
  accountId: Uuid,
  step: z.enum(['code', 'password']),
  inputRef: z.string().min(1),
});
export const MessageSendJob = z.object({ accountId: Uuid, messageId: Uuid });
export const AccountDisconnectJob = z.object({ accountId: Uuid, logout: z.boolean() });
export const AccountDeleteJob = z.object({ accountId: Uuid });
export const AccountSyncChatsJob = z.object({ accountId: Uuid });
/** The text travels in the job: small, not secret, and the message keeps its old text until the provider accepts. */
export const MessageEditJob = z.object({ accountId: Uuid, messageId: Uuid, text: z.string().min(1).max(4096) });
export const MessageDeleteJob = z.object({ accountId: Uuid, messageId: Uuid, forEveryone: z.boolean() });
export const MessageReactJob = z.object({ accountId: Uuid, messageId: Uuid, emoji: z.string().max(32) });
export const ChatReadJob = z.object({ accountId: Uuid, chatId: Uuid });

/** Job name → payload schema. The keys are the frozen job names of libs/queue. */
export const JOB_SCHEMAS = {
  'account.connect': AccountConnectJob,
  'account.login-input': AccountLoginInputJob,
  'message.send': MessageSendJob,
  'account.disconnect': AccountDisconnectJob,
  'account.delete': AccountDeleteJob,
  'account.sync-chats': AccountSyncChatsJob,
  'message.edit': MessageEditJob,
  'message.delete': MessageDeleteJob,
  'message.react': MessageReactJob,
  'chat.read': ChatReadJob,
} as const;

export type JobMap = { [N in keyof typeof JOB_SCHEMAS]: z.infer<(typeof JOB_SCHEMAS)[N]> };
export type JobName = keyof JobMap;
export type JobOf<N extends JobName> = JobMap[N];

export function parseJob<N extends JobName>(name: N, data: unknown): JobMap[N] {
  return JOB_SCHEMAS[name].parse(data) as JobMap[N];
}

/** The payload, or the reason it is invalid (each bad field named), for jobs that must not throw. */
export function safeParseJob<N extends JobName>(name: N, data: unknown): { ok: true; data: JobMap[N] } | { ok: false; reason: string } {
  const result = JOB_SCHEMAS[name].safeParse(data);
  if (result.success) return { ok: true, data: result.data as JobMap[N] };
  const reason = result.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
  return { ok: false, reason };
}

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_SCHEMAS, name);
}
