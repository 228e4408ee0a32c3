import { z } from '../zod';
import { IsoDateTime, storableString, Uuid } from './common.schema';

export const Provider = z.enum(['whatsapp', 'telegram', 'sandbox']);
export type Provider = z.infer<typeof Provider>;

export const DesiredState = z.enum(['connected', 'disconnected']);
export type DesiredState = z.infer<typeof DesiredState>;

export const AccountStatus = z.enum([
  'disconnected',
  'connecting',
  'qr',
  'pairing_code',
  'code_required',
  'password_required',
  'connected',
  'reconnecting',
  'logged_out',
  'failed',
]);
export type AccountStatus = z.infer<typeof AccountStatus>;

export const LoginMethod = z.enum(['qr', 'phone', 'pairing_code']);
export type LoginMethod = z.infer<typeof LoginMethod>;

/** Which login methods each provider offers; anything else is a 422. */
export const PROVIDER_LOGIN_METHODS: Record<Provider, readonly LoginMethod[]> = {
  whatsapp: ['qr', 'pairing_code'],
  telegram: ['qr', 'phone'],
  sandbox: ['qr', 'phone', 'pairing_code'],
};

export const Profile = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    username: z.string().nullable(),
  })
  .openapi('Profile');
export type Profile = z.infer<typeof Profile>;

export const Account = z
  .object({
    id: Uuid,
    provider: Provider,
    name: z.string(),
    desiredState: DesiredState,
    status: AccountStatus,
    statusReason: z.string().nullable(),
    profile: Profile.nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .openapi('Account');
export type Account = z.infer<typeof Account>;

export const AccountList = z.object({ items: z.array(Account) }).openapi('AccountList');

export const CreateAccountBody = z
  .object({ provider: Provider, name: storableString().trim().min(1).max(100) })
  .openapi('CreateAccountBody');
export type CreateAccountBody = z.infer<typeof CreateAccountBody>;

/** E.164: a plus sign and 7 to 15 digits. */
export const PhoneNumber = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +15551234567');

export const ConnectBody = z
  .object({ method: LoginMethod.default('qr'), phone: PhoneNumber.optional() })
  .superRefine((body, ctx) => {
    if ((body.method === 'phone' || body.method === 'pairing_code') && !body.phone) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: `is required for method "${body.method}"` });
    }
  })
  .openapi('ConnectBody');
export type ConnectBody = z.infer<typeof ConnectBody>;

export const LoginBody = z
  .union([
    z.object({ code: storableString().trim().min(1).max(32) }).strict(),
    z.object({ password: storableString().min(1).max(256) }).strict(),
  ])
  .openapi('LoginBody');
export type LoginBody = z.infer<typeof LoginBody>;

export const DisconnectBody = z.object({ logout: z.boolean().default(false) }).openapi('DisconnectBody');
export type DisconnectBody = z.infer<typeof DisconnectBody>;

export const QrCode = z
  .object({ qr: z.string(), dataUrl: z.string(), expiresAt: IsoDateTime })
  .openapi('QrCode');
export type QrCode = z.infer<typeof QrCode>;
