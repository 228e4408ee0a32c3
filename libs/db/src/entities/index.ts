import { AccountSessionEntity } from './account-session.entity';
import { AccountEntity } from './account.entity';
import { ApiKeyEntity } from './api-key.entity';
import { ChatAddressEntity } from './chat-address.entity';
import { ChatEntity } from './chat.entity';
import { MessageEntity } from './message.entity';
import { QuarantinedMessageEntity } from './quarantined-message.entity';
import { TenantEntity } from './tenant.entity';

export const ENTITIES = [TenantEntity, ApiKeyEntity, AccountEntity, AccountSessionEntity, ChatEntity, ChatAddressEntity, MessageEntity, QuarantinedMessageEntity];

export type { TenantRow } from './tenant.entity';
export type { ApiKeyRow } from './api-key.entity';
export type { AccountRow } from './account.entity';
export type { AccountSessionRow } from './account-session.entity';
export type { ChatRow } from './chat.entity';
export type { ChatAddressRow } from './chat-address.entity';
export type { MessageRow } from './message.entity';
export type { QuarantinedMessageRow } from './quarantined-message.entity';
