import { Migration } from '@mikro-orm/migrations';

/** The messenger model: who wrote what, from where, and what happened to it afterwards. */
export class Migration20261202014504MessengerModel extends Migration {
  override async up(): Promise<void> {
    this.addSql("create table \"chat_address\" (\"account_id\" uuid not null, \"address\" text not null, \"chat_id\" uuid not null, constraint \"chat_address_pkey\" primary key (\"account_id\", \"address\"))");
    this.addSql("alter table \"chat_address\" add constraint \"chat_address_account_id_foreign\" foreign key (\"account_id\") references \"account\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"chat_address\" add constraint \"chat_address_chat_id_foreign\" foreign key (\"chat_id\") references \"chat\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"message\" add column \"origin\" varchar(8) not null default 'contact', add column \"sender\" jsonb null, add column \"type\" varchar(16) not null default 'text', add column \"reply_to_external_id\" text null, add column \"reply_to_message_id\" uuid null, add column \"forwarded\" boolean not null default false, add column \"reactions\" jsonb not null default '[]', add column \"edited_at\" timestamptz null, add column \"deleted_at\" timestamptz null");
    this.addSql("alter table \"account_session\" add column \"catch_up_cursor\" text null");
    // What was stored before: our sends came through the API; stored media was downloaded.
    this.addSql("update \"message\" set \"origin\" = 'api' where \"direction\" = 'out'");
    this.addSql("update \"message\" set \"media\" = \"media\" || '{\"state\": \"ready\"}'::jsonb where \"media\" is not null");
  }
}
