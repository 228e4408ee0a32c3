import { z } from '../zod';
import { IsoDateTime } from './common.schema';

/** Longer than any real network's text, so that the worker's handling of long text can be shown. */
export const MAX_SANDBOX_INCOMING_TEXT = 256 * 1024;

export const SandboxIncomingBody = z
  .object({
    from: z.string().trim().min(1).max(256),
    // A simulated network delivers what real ones do: NUL, unpaired surrogates, very long text.
    text: z.string().min(1).max(MAX_SANDBOX_INCOMING_TEXT),
    fromName: z.string().trim().min(1).max(256).optional(),
  })
  .openapi('SandboxIncomingBody');
export type SandboxIncomingBody = z.infer<typeof SandboxIncomingBody>;

/** The id the simulated network gave the injected message (it arrives as `message.received`). */
export const SandboxIncomingAccepted = z.object({ externalId: z.string() }).openapi('SandboxIncomingAccepted');
export type SandboxIncomingAccepted = z.infer<typeof SandboxIncomingAccepted>;

export const SandboxOutboxItem = z.object({
  externalId: z.string(),
  to: z.string(),
  text: z.string().nullable(),
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
