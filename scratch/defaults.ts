import { getTableColumns, is, SQL } from 'drizzle-orm';
import { incidents, victims, suspects, careSteps } from '../src/db/schema/index.ts';
for (const [n, t] of Object.entries({ incidents, victims, suspects, careSteps })) {
  for (const [p, c] of Object.entries(getTableColumns(t as any))) {
    const col = c as any;
    if (col.hasDefault || col.defaultFn || col.onUpdateFn) console.log(n, p, col.columnType, 'default:', is(col.default, SQL) ? 'SQL' : JSON.stringify(col.default), col.defaultFn ? 'fn' : '', col.onUpdateFn ? 'onUpdate' : '');
  }
  console.log(n, Object.values(getTableColumns(t as any)).map((c: any) => `${c.name}:${c.getSQLType()}`).join(' '));
}
