import type { Api } from 'telegram';

/** Where a login stands after each step; `reason` says why a step is asked again. */
export type TelegramLoginProgress =
  | { step: 'code_required'; reason: string | null }
  | { step: 'password_required'; reason: string | null; hint: string | null }
  | { step: 'signed_in'; user: Api.User };
