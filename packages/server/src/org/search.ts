import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * "column contains text", case-insensitive, with the user's % and _ taken literally. The
 * ESCAPE clause is explicit because SQLite has no default escape character.
 */
export function contains(column: string, text: string): Expression<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

/** Any of the columns contains the text. */
export function containsAny(columns: string[], text: string): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.join(columns.map((c) => contains(c, text)), sql` or `)})`;
}
