import type SQLite from 'better-sqlite3';
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import { type Executor, directSqlite, nameStatement } from './database.js';

/**
 * A query of fixed shape, built and compiled by Kysely once per dialect and then run with new
 * values: on the hottest paths (who is signed in, recording a vote) building the query tree
 * and compiling it cost more than SQLite running it.
 *
 * The builder is called once with placeholder values (unique strings); wherever a placeholder
 * lands among the compiled parameters, the real argument goes on every later run. The builder
 * must therefore use its arguments only as values (never to choose the query's shape), and
 * each argument exactly as given. A compiled query whose parameters do not contain every
 * placeholder is refused at once, so a builder that breaks the rule fails loudly, not wrongly.
 */
export interface PreparedQuery<A extends unknown[], R> {
  execute(db: Executor, ...args: A): Promise<R[]>;
  first(db: Executor, ...args: A): Promise<R | undefined>;
}

const MARK = '\u0000xs-arg:';

type Template = { query: CompiledQuery; slots: Array<number | null>; statement?: SQLite.Statement };

/**
 * What identifies a database's dialect for keeping per-dialect state: Kysely's executor
 * carries the dialect's adapter, and a transaction shares its database's.
 */
export function dialectKey(db: Executor): object {
  return db.getExecutor().adapter;
}

export function preparedQuery<A extends unknown[], R>(arity: A['length'], build: (db: Executor, ...args: A) => Compilable<R>): PreparedQuery<A, R> {
  const templates = new WeakMap<object, Template>();
  const template = (db: Executor): Template => {
    const key = dialectKey(db);
    let t = templates.get(key);
    if (t) return t;
    const marks = Array.from({ length: arity }, (_, i) => `${MARK}${i}`) as unknown as A;
    const query = build(db, ...marks).compile();
    const slots = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? Number(p.slice(MARK.length)) : null));
    for (let i = 0; i < arity; i++) {
      if (!slots.includes(i)) throw new Error(`preparedQuery: argument ${i} is not a parameter of: ${query.sql}`);
    }
    t = { query, slots };
    templates.set(key, t);
    nameStatement(query.sql);
    return t;
  };
  const run = async (db: Executor, args: A): Promise<R[]> => {
    const t = template(db);
    const parameters = t.slots.map((slot, i) => (slot === null ? t.query.parameters[i] : args[slot]));
    // SQLite, when the connection is free (or this transaction's): run it at once, as Kysely's
    // SQLite driver would (db/database.ts, directSqlite).
    const handle = directSqlite(db);
    if (handle) {
      const stmt = (t.statement ??= handle.prepare(t.query.sql));
      if (stmt.reader) return stmt.all(parameters) as R[];
      stmt.run(parameters);
      return [];
    }
    const result = (await db.executeQuery({ ...t.query, parameters } as CompiledQuery<R>)) as QueryResult<R>;
    return result.rows;
  };
  return {
    execute: (db, ...args) => run(db, args),
    first: async (db, ...args) => (await run(db, args))[0],
  };
}
