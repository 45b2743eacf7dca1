import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from '../../database/data-source.factory';
import { BusLogger } from '../bus-logger.factory';
import { outboxChannel } from './outbox.service';

/**
 * A dedicated Postgres connection that LISTENs on a schema's outbox channel
 * and calls `onNotify` for every commit that wrote to the outbox. LISTEN
 * needs a connection of its own: a pooled one would be handed to other
 * queries and miss notifications. When the connection drops it comes back
 * after `retryMs` (the relay polls meanwhile) and calls `onNotify` once, for
 * the commits made while nobody listened.
 */
export class OutboxListenerService {
  private client?: Client;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly schema: string,
    private readonly onNotify: () => void,
    private readonly retryMs: number,
    private readonly logger: BusLogger,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    const client = this.connectionFor();
    let retried = false;
    const retry = (error: Error) => {
      if (retried || this.stopped) return;
      retried = true;
      this.logger.warn(`Outbox listener lost (${error.message}); polling until it is back`);
      client.end().catch(() => undefined);
      setTimeout(() => void this.start(), this.retryMs).unref();
    };
    client.on('error', retry);
    client.on('end', () => retry(new Error('connection ended')));
    client.on('notification', () => this.onNotify());
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(outboxChannel(this.schema))}`);
      if (this.stopped) return void client.end().catch(() => undefined);
      this.client = client;
      this.onNotify();
    } catch (error) {
      retry(error as Error);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  // The same server, database and role as the service's pool.
  private connectionFor(): Client {
    const { url, host, port, username, password, database } = this.db.options as PostgresDataSourceOptions;
    return new Client({
      connectionString: url,
      host,
      port,
      user: username,
      password: typeof password === 'string' ? password : undefined,
      database,
      application_name: `shop-${this.schema}-outbox-listener`,
    });
  }
}
