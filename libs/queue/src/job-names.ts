import type { JobName } from '@switchboard/contracts';

/** Frozen job names (the keys of the JobMap in libs/contracts). Never derive them from code names. */
export const JOB_NAMES = {
  connect: 'account.connect',
  loginInput: 'account.login-input',
  send: 'message.send',
  disconnect: 'account.disconnect',
  delete: 'account.delete',
  syncChats: 'account.sync-chats',
  edit: 'message.edit',
  deleteMessage: 'message.delete',
  react: 'message.react',
  read: 'chat.read',
} as const satisfies Record<string, JobName>;

// Every job of the map has a frozen name (compile-time check).
type Missing = Exclude<JobName, (typeof JOB_NAMES)[keyof typeof JOB_NAMES]>;
const _everyJobNamed: [Missing] extends [never] ? true : Missing = true;
void _everyJobNamed;
