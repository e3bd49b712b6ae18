// LISTEN on Postgres over one dedicated connection (a pooled one may be handed to someone else, and
// PgBouncer in transaction mode drops session state): reconnects with backoff when it drops.
import type pgModule from 'pg';
import type { ListenHandlers, Listener } from './client.ts';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

export async function listenPostgres(pg: typeof pgModule, url: string, channel: string, handlers: ListenHandlers): Promise<Listener> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  let client: pgModule.Client | null = null;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const lost = (c: pgModule.Client, err?: Error) => {
    if (client !== c) return;
    client = null;
    handlers.onState?.(false);
    if (err) handlers.onError?.(err);
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
    schedule();
  };

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: 'officer-assault-register listen', connectionTimeoutMillis: 5000 });
    // Until connected, an error only ends this attempt; after, it ends the connection and a new one is tried.
    c.on('error', (err) => lost(c, err));
    c.on('end', () => lost(c));
    c.on('notification', (m) => {
      if (m.channel === channel) handlers.onNotify(m.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`listen ${channel}`);
    } catch (err) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
      if (closed) return;
      handlers.onError?.(err as Error);
      schedule();
      return;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    retryMs = RETRY_MIN_MS;
    handlers.onState?.(true);
  };

  await connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      if (c) {
        c.removeAllListeners('end');
        c.removeAllListeners('notification');
        await c.end().catch(() => undefined);
      }
    },
  };
}
