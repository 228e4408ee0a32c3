import { Migration } from '@mikro-orm/migrations';

export class Migration20261202005330QuarantineAndKeyListing extends Migration {
  override async up(): Promise<void> {
    this.addSql("create table \"quarantined_message\" (\"id\" uuid not null, \"account_id\" uuid not null, \"external_id\" text not null, \"reason\" text not null, \"payload\" text not null, \"created_at\" timestamptz not null, constraint \"quarantined_message_pkey\" primary key (\"id\"))");
    this.addSql("create index \"quarantined_message_created_index\" on \"quarantined_message\" (\"created_at\")");
    this.addSql("alter table \"quarantined_message\" add constraint \"quarantined_message_account_id_foreign\" foreign key (\"account_id\") references \"account\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"api_key\" add column \"prefix\" varchar(16) null, add column \"last_used_at\" timestamptz null");
  }
}
