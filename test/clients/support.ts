// Calling the service through the typed client (clients/typescript) in tests; not a test file itself.

/** What every call of an openapi-fetch client answers. */
export interface Answer<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** The answer's data when it came with the expected status (any 2xx when none is named); otherwise it throws with the problem. */
export async function answered<D>(what: string, call: Promise<Answer<D>>, status?: number): Promise<NonNullable<D>> {
  const { data, error, response } = await call;
  const expected = status === undefined ? response.ok : response.status === status;
  if (!expected || data === undefined || data === null) {
    throw new Error(`${what}: ${response.status}${status === undefined ? '' : ` (expected ${status})`} ${JSON.stringify(error)}`);
  }
  return data;
}
