// LISTEN on Postgres over one dedicated connection (a pooled one may be handed to someone else, and
// PgBouncer in transaction mode drops session state): reconnects with backoff when it drops.
import type pgModule from 'pg';
import type { ListenHandlers, Listener } from './client.ts';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

/** One LISTEN connection and its reconnection state. */
class PostgresListener {
  private client: pgModule.Client | null = null;
  private closed = false;
  private retryMs = RETRY_MIN_MS;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pg: typeof pgModule,
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: ListenHandlers,
  ) {}

  /** The connection dropped (or failed after connecting): report it and try again later. */
  private lost(c: pgModule.Client, err?: Error) {
    if (this.client !== c) return;
    this.client = null;
    this.handlers.onState?.(false);
    if (err) this.handlers.onError?.(err);
    c.removeAllListeners('notification');
    c.end().catch(() => undefined);
    this.schedule();
  }

  /** The next attempt, after a delay that doubles up to RETRY_MAX_MS. */
  private schedule() {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  async connect(): Promise<void> {
    const c = new this.pg.Client({ connectionString: this.url, application_name: 'officer-assault-register listen', connectionTimeoutMillis: 5000 });
    // Until connected, an error only ends this attempt; after, it ends the connection and a new one is tried.
    c.on('error', (err) => this.lost(c, err));
    c.on('end', () => this.lost(c));
    c.on('notification', (m) => {
      if (m.channel === this.channel) this.handlers.onNotify(m.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`listen ${this.channel}`);
    } catch (err) {
      c.removeAllListeners();
      c.on('error', () => undefined);
      await c.end().catch(() => undefined);
      if (this.closed) return;
      this.handlers.onError?.(err as Error);
      this.schedule();
      return;
    }
    if (this.closed) {
      await c.end().catch(() => undefined);
      return;
    }
    this.client = c;
    this.retryMs = RETRY_MIN_MS;
    this.handlers.onState?.(true);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    if (c) {
      c.removeAllListeners('end');
      c.removeAllListeners('notification');
      await c.end().catch(() => undefined);
    }
  }
}

export async function listenPostgres(pg: typeof pgModule, url: string, channel: string, handlers: ListenHandlers): Promise<Listener> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  const listener = new PostgresListener(pg, url, channel, handlers);
  await listener.connect();
  return { close: () => listener.close() };
}
