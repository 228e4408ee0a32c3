import { useScratchDatabase } from './scratch-database.int-support';

describe('migrations', () => {
  const database = useScratchDatabase('schema_diff');

  it('build exactly the schema the entities describe', async () => {
    const diff = await database().orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('have nothing left to apply after a run', async () => {
    expect(await database().orm.getMigrator().getPendingMigrations()).toEqual([]);
  });
});
