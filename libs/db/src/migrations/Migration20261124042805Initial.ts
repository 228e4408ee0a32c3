import { Migration } from '@mikro-orm/migrations';

export class Migration20261124042805Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql("create table \"tenant\" (\"id\" uuid not null, \"name\" text not null, \"created_at\" timestamptz not null, constraint \"tenant_pkey\" primary key (\"id\"))");
    this.addSql("create table \"api_key\" (\"id\" uuid not null, \"tenant_id\" uuid not null, \"hash\" varchar(64) not null, \"created_at\" timestamptz not null, constraint \"api_key_pkey\" primary key (\"id\"))");
    this.addSql("alter table \"api_key\" add constraint \"api_key_hash_unique\" unique (\"hash\")");
    this.addSql("create table \"account\" (\"id\" uuid not null, \"tenant_id\" uuid not null, \"provider\" varchar(16) not null, \"name\" text not null, \"desired_state\" varchar(16) not null, \"status\" varchar(32) not null, \"status_reason\" text null, \"profile\" jsonb null, \"login_method\" varchar(16) not null default 'qr', \"phone\" varchar(32) null, \"partition\" int not null, \"fence\" bigint not null default 0, \"created_at\" timestamptz not null, \"updated_at\" timestamptz not null, constraint \"account_pkey\" primary key (\"id\"))");
    this.addSql("create index \"account_tenant_id_index\" on \"account\" (\"tenant_id\")");
    this.addSql("create index \"account_partition_desired_state_index\" on \"account\" (\"partition\", \"desired_state\")");
    this.addSql("create table \"chat\" (\"id\" uuid not null, \"account_id\" uuid not null, \"external_id\" text not null, \"title\" text null, \"kind\" varchar(16) not null, \"phone\" varchar(32) null, \"last_message_at\" timestamptz null, \"unread_count\" int not null default 0, \"created_at\" timestamptz not null, constraint \"chat_pkey\" primary key (\"id\"))");
    this.addSql("create index \"chat_account_activity_index\" on \"chat\" (\"account_id\", \"last_message_at\")");
    this.addSql("alter table \"chat\" add constraint \"chat_account_external_unique\" unique (\"account_id\", \"external_id\")");
    this.addSql("create table \"message\" (\"id\" uuid not null, \"account_id\" uuid not null, \"chat_id\" uuid not null, \"external_id\" text null, \"direction\" varchar(8) not null, \"text\" text null, \"media\" jsonb null, \"status\" varchar(16) not null, \"error\" text null, \"sent_at\" timestamptz null, \"created_at\" timestamptz not null, \"idempotency_key\" varchar(255) null, constraint \"message_pkey\" primary key (\"id\"))");
    this.addSql("create index \"message_chat_created_index\" on \"message\" (\"chat_id\", \"created_at\")");
    this.addSql("alter table \"message\" add constraint \"message_account_external_unique\" unique (\"account_id\", \"external_id\")");
    this.addSql("alter table \"message\" add constraint \"message_account_idempotency_unique\" unique (\"account_id\", \"idempotency_key\")");
    this.addSql("create table \"account_session\" (\"account_id\" uuid not null, \"key_id\" varchar(32) not null, \"blob\" bytea not null, \"fence\" bigint not null default 0, \"updated_at\" timestamptz not null, constraint \"account_session_pkey\" primary key (\"account_id\"))");
    this.addSql("alter table \"api_key\" add constraint \"api_key_tenant_id_foreign\" foreign key (\"tenant_id\") references \"tenant\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"account\" add constraint \"account_tenant_id_foreign\" foreign key (\"tenant_id\") references \"tenant\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"chat\" add constraint \"chat_account_id_foreign\" foreign key (\"account_id\") references \"account\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"message\" add constraint \"message_account_id_foreign\" foreign key (\"account_id\") references \"account\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"message\" add constraint \"message_chat_id_foreign\" foreign key (\"chat_id\") references \"chat\" (\"id\") on update cascade on delete cascade");
    this.addSql("alter table \"account_session\" add constraint \"account_session_account_id_foreign\" foreign key (\"account_id\") references \"account\" (\"id\") on update cascade on delete cascade");
  }
}
