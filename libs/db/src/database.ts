import { MikroORM, type Knex } from '@mikro-orm/postgresql';
import { SessionCipher } from './crypto/session-cipher';
import { ensureDatabase, withMigrationLock } from './database-lifecycle';
import { ormConfig } from './orm.config';
import { AccountRepository } from './repositories/account.repository';
import { ChatRepository } from './repositories/chat.repository';
import { MessageRepository } from './repositories/message.repository';
import { QuarantineRepository } from './repositories/quarantine.repository';
import { SessionRepository } from './repositories/session.repository';
import { TenantRepository } from './repositories/tenant.repository';

export interface DatabaseOptions {
  databaseUrl: string;
  /** Create the database if missing and apply pending migrations (the api does this at start). */
  migrate: boolean;
  sessionKey: string;
  previousSessionKeys?: readonly string[];
  poolMax?: number;
}

export interface Database {
  orm: MikroORM;
  knex: Knex;
  tenants: TenantRepository;
  accounts: AccountRepository;
  chats: ChatRepository;
  messages: MessageRepository;
  quarantine: QuarantineRepository;
  sessions: SessionRepository;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.migrate) await ensureDatabase(options.databaseUrl);
  const orm = await MikroORM.init(ormConfig({ databaseUrl: options.databaseUrl, poolMax: options.poolMax }));
  if (options.migrate) {
    try {
      await withMigrationLock(options.databaseUrl, () => orm.getMigrator().up());
    } catch (error) {
      await orm.close(true);
      throw error;
    }
  }
  const knex = orm.em.getKnex();
  const cipher = new SessionCipher(options.sessionKey, options.previousSessionKeys);
  return {
    orm,
    knex,
    tenants: new TenantRepository(knex),
    accounts: new AccountRepository(knex),
    chats: new ChatRepository(knex),
    messages: new MessageRepository(knex),
    quarantine: new QuarantineRepository(knex),
    sessions: new SessionRepository(knex, cipher),
    ping: async () => {
      await knex.raw('select 1');
    },
    close: () => orm.close(true),
  };
}
