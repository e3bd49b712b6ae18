// JSON merge patch (RFC 7396) over our records: nested objects merge, arrays and scalars replace,
// null sets a nullable field to null (our records keep every field). Returns the changed leaf paths.
type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

export function applyMergePatch<T extends Plain>(current: T, patch: Plain, prefix = ''): { next: T; changed: string[] } {
  const next: Plain = { ...current };
  const changed: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const path = prefix + key;
    const before = current[key];
    if (isPlain(value) && isPlain(before)) {
      const inner = applyMergePatch(before, value, `${path}.`);
      next[key] = inner.next;
      changed.push(...inner.changed);
    } else if (JSON.stringify(before) !== JSON.stringify(value)) {
      next[key] = value;
      changed.push(path);
    }
  }
  return { next: next as T, changed };
}

/** The top-level field names among changed paths (the columns to write). */
export function topLevel(changed: string[]): string[] {
  return [...new Set(changed.map((p) => p.split('.')[0]!))];
}
