import { z } from '../zod';
import { IsoDateTime } from './common.schema';

/** Longer than any real network's text, so that the worker's handling of long text can be shown. */
export const MAX_SANDBOX_INCOMING_TEXT = 256 * 1024;

const SandboxName = z.string().trim().min(1).max(256);
const SandboxMediaUpload = z.object({
  data: z.base64().openapi({ description: 'base64' }),
  mimeType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as image/png'),
  filename: z.string().min(1).max(255).optional(),
});

export const SandboxIncomingBody = z
  .object({
    /** The contact who writes (its name on the network; `@alice` is `alice`). */
    from: SandboxName,
    // A simulated network delivers what real ones do: NUL, unpaired surrogates, very long text.
    text: z.string().min(1).max(MAX_SANDBOX_INCOMING_TEXT).optional(),
    fromName: SandboxName.optional(),
    /** The contact's phone: from now on the network resolves it to this contact. */
    fromPhone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be a phone number in E.164 form, such as +15551234567').optional(),
    /** Written in a group (created on first use), by `from` as a member. */
    group: z.object({ id: SandboxName, title: z.string().trim().min(1).max(256) }).optional(),
    media: SandboxMediaUpload.optional(),
    /** The provider id of the message it answers. */
    replyTo: z.string().min(1).max(256).optional(),
    forwarded: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    if (body.text === undefined && body.media === undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'give text, media or both' });
  })
  .openapi('SandboxIncomingBody');
export type SandboxIncomingBody = z.infer<typeof SandboxIncomingBody>;

/** The account's own phone sends a message (it appears with origin `device`). */
export const SandboxDeviceSendBody = z.object({ to: SandboxName, text: z.string().min(1).max(4096) }).openapi('SandboxDeviceSendBody');
export type SandboxDeviceSendBody = z.infer<typeof SandboxDeviceSendBody>;
/** A contact edits one of its messages. */
export const SandboxEditBody = z.object({ externalId: z.string().min(1).max(256), text: z.string().min(1).max(4096) }).openapi('SandboxEditBody');
export type SandboxEditBody = z.infer<typeof SandboxEditBody>;
/** A contact deletes one of its messages for everyone. */
export const SandboxRevokeBody = z.object({ externalId: z.string().min(1).max(256) }).openapi('SandboxRevokeBody');
export type SandboxRevokeBody = z.infer<typeof SandboxRevokeBody>;
/** A contact reacts to a message of the account (an empty emoji removes the reaction). */
export const SandboxReactBody = z.object({ externalId: z.string().min(1).max(256), from: SandboxName, emoji: z.string().max(32) }).openapi('SandboxReactBody');
export type SandboxReactBody = z.infer<typeof SandboxReactBody>;
/** The account reads a chat on its phone. */
export const SandboxReadOnPhoneBody = z.object({ chat: SandboxName }).openapi('SandboxReadOnPhoneBody');
export type SandboxReadOnPhoneBody = z.infer<typeof SandboxReadOnPhoneBody>;

/** The id the simulated network gave the injected message (it arrives as `message.received`). */
export const SandboxIncomingAccepted = z.object({ externalId: z.string() }).openapi('SandboxIncomingAccepted');
export type SandboxIncomingAccepted = z.infer<typeof SandboxIncomingAccepted>;

/** A phone or contact action was handed to the simulated network (its effect arrives as events). */
export const SandboxActionAccepted = z.object({}).openapi('SandboxActionAccepted');
export type SandboxActionAccepted = z.infer<typeof SandboxActionAccepted>;

export const SandboxOutboxItem = z.object({
  /** Absent for a message; an action the account made on a message or chat otherwise. */
  kind: z.enum(['edit', 'revoke', 'react', 'read']).optional(),
  /** The message delivered, or the message the action concerns (for `read`: the chat's newest). */
  externalId: z.string(),
  to: z.string(),
  text: z.string().nullable(),
  /** A reaction's emoji (`react`; empty: removed). */
  emoji: z.string().optional(),
  /** The provider id of the message a sent message answers. */
  replyTo: z.string().nullable().optional(),
  media: z.object({ mimeType: z.string(), filename: z.string().nullable(), size: z.number().int() }).nullable().optional(),
  at: IsoDateTime,
  /** Diagnostics: the worker and lease (fencing token) that delivered it. */
  sentBy: z.object({ workerId: z.string(), fence: z.string() }).optional(),
});
export type SandboxOutboxItem = z.infer<typeof SandboxOutboxItem>;

export const SandboxOutbox = z.object({ items: z.array(SandboxOutboxItem) }).openapi('SandboxOutbox');

/** A client of an account connected to the simulated network now. */
export const SandboxDevice = z.object({ workerId: z.string(), fence: z.string(), since: IsoDateTime });
export const SandboxDevices = z
  .object({
    items: z.array(SandboxDevice),
    /** How many times a client connected while another client of the account was connected. */
    conflicts: z.number().int().nonnegative(),
  })
  .openapi('SandboxDevices');
export type SandboxDevices = z.infer<typeof SandboxDevices>;

/** Fixed credentials of the simulated network (docs/api.md "The sandbox"). */
export const SANDBOX_LOGIN_CODE = '12345';
export const SANDBOX_PASSWORD = 'sandbox';
export const SANDBOX_FAIL_PERMANENT = 'fail-permanent';
export const SANDBOX_FAIL_ONCE = 'fail-once';
