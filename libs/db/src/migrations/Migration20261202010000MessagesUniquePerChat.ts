import { Migration } from '@mikro-orm/migrations';

/**
 * Provider message ids are unique per chat, not per account (Telegram numbers the messages of
 * each channel and supergroup on their own): an incoming message is one per (account, chat, id).
 */
export class Migration20261202010000MessagesUniquePerChat extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table "message" drop constraint "message_account_external_unique"');
    this.addSql('alter table "message" add constraint "message_account_chat_external_unique" unique ("account_id", "chat_id", "external_id")');
  }

  override async down(): Promise<void> {
    this.addSql('alter table "message" drop constraint "message_account_chat_external_unique"');
    this.addSql('alter table "message" add constraint "message_account_external_unique" unique ("account_id", "external_id")');
  }
}
