import { sql, type Expression, type SqlBool } from 'kysely';
import { isDepartmentRole, writesRegistry } from '@qingling/core';
import type { Actor } from './actor.js';
import { forbidden } from '../http/app-error.js';

interface Filterable<Q> {
  where(expression: Expression<SqlBool>): Q;
}

/**
 * The one place department scoping is decided ("谁管的设备谁负责"). Every repository query
 * that reads or changes department-owned rows takes a scope and passes through `restrict()`,
 * so a department role cannot see or touch another department's rows by id or in lists.
 */
export class DepartmentScope {
  private constructor(
    /** null: every department. */
    readonly departmentId: number | null,
    readonly canWrite: boolean,
  ) {}

  static of(actor: Actor): DepartmentScope {
    if (isDepartmentRole(actor.role)) {
      // A department role without a department sees nothing rather than everything.
      return new DepartmentScope(actor.departmentId ?? -1, writesRegistry(actor.role));
    }
    return new DepartmentScope(null, writesRegistry(actor.role));
  }

  /** For system jobs and the CLI operator. */
  static readonly ALL = new DepartmentScope(null, true);

  /** Adds `column = <department>` to a select/update/delete unless the scope is campus-wide. */
  restrict<Q>(query: Filterable<Q> & Q, column: string): Q {
    if (this.departmentId === null) return query;
    return query.where(sql<SqlBool>`${sql.ref(column)} = ${this.departmentId}`);
  }

  includes(departmentId: number): boolean {
    return this.departmentId === null || this.departmentId === departmentId;
  }

  /** Throws 403 unless this scope may write rows of `departmentId`. */
  assertWritable(departmentId: number): void {
    if (!this.canWrite) throw forbidden('your role can read but not change this');
    if (!this.includes(departmentId)) throw forbidden('that belongs to another department');
  }
}
