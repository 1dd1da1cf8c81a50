import type { CreateTableBuilder, Kysely } from 'kysely';

// Part of the frozen migrations: shared only among migrations, never with app code.
export type Dialect = 'sqlite' | 'postgres';

export function idColumn<T extends string>(t: CreateTableBuilder<T, never>, dialect: Dialect): CreateTableBuilder<T, 'id'> {
  return dialect === 'sqlite'
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : t.addColumn('id', 'serial', (c) => c.primaryKey());
}

/** Creates a table with an auto-increment integer `id` on either engine. */
export async function table(
  db: Kysely<any>,
  dialect: Dialect,
  name: string,
  build: (t: CreateTableBuilder<string, 'id'>) => CreateTableBuilder<string, any>,
): Promise<void> {
  await build(idColumn(db.schema.createTable(name), dialect)).execute();
}
