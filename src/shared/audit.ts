// What one audit event says (the request scope fills in who, when and why): names and shape, no storage.
export type AuditAction = 'create' | 'read' | 'list' | 'export' | 'update' | 'revoke' | 'verify' | 'erase';

export interface AuditEntry {
  action: AuditAction;
  resourceType: string;
  resourceId?: string | null;
  /** The force whose data was touched (null for national or non-force data). */
  forceId: string | null;
  changedFields?: string[];
}
