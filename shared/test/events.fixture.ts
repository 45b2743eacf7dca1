// Shared pieces of the events integration specs: sample events, a recording
// handler, raw broker access for assertions, and small waiting helpers.
import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel, type ConsumeMessage, type Message } from 'amqplib';
import type { Counter } from 'prom-client';
import { DataSource, type EntityManager, type MigrationInterface, type QueryRunner } from 'typeorm';
import { createDataSourceOptions } from '../src/database/data-source.factory';
import { BusLogger } from '../src/events/bus-logger.factory';
import { ShopEvent } from '../src/events/contracts';
import { EventHandler } from '../src/events/consumer/event.handler';

export const ORDER_ID = () => randomUUID();

/** A valid `order.placed`, published by orders. */
export function orderPlaced(overrides: Partial<ShopEvent<'order.placed'>> = {}): ShopEvent<'order.placed'> {
  const orderId = overrides.aggregateId ?? randomUUID();
  return {
    id: randomUUID(),
    type: 'order.placed',
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'orders',
    correlationId: `test-${randomUUID()}`,
    aggregateId: orderId,
    aggregateVersion: 1,
    data: {
      orderId,
      userId: randomUUID(),
      lines: [{ itemId: randomUUID(), quantity: 2, unitPrice: '12.50' }],
      total: '25.00',
    },
    ...overrides,
  };
}

/** Tables a test handler writes to, in the inventory schema (created by a migration, as in a service). */
export class CreateTestEffects1700000000001 implements MigrationInterface {
  name = 'CreateTestEffects1700000000001';
  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE inventory.effects (event_id uuid NOT NULL, type text NOT NULL)`);
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE inventory.effects`);
  }
}

/** Records one effect row per handled event; fails while `failWhen` says so. */
export class RecordingHandler implements EventHandler {
  readonly calls: { id: string; at: number }[] = [];

  constructor(private readonly failWhen: (event: ShopEvent) => boolean = () => false) {}

  async handle(event: ShopEvent, tx: EntityManager): Promise<void> {
    this.calls.push({ id: event.id, at: Date.now() });
    await tx.query(`INSERT INTO inventory.effects (event_id, type) VALUES ($1, $2)`, [event.id, event.type]);
    if (this.failWhen(event)) throw new Error(`handler failed on ${event.id}`);
  }
}

export async function effectsOf(db: DataSource, eventId: string): Promise<number> {
  const [row] = await db.query(`SELECT count(*)::int AS n FROM inventory.effects WHERE event_id = $1`, [
    eventId,
  ]);
  return row.n;
}

/** A DataSource as a service has it: runtime role, own schema, no DDL rights. */
export async function runtimeDataSource(url: string, schema: string): Promise<DataSource> {
  const db = new DataSource(createDataSourceOptions({ url, schema, poolSize: 5 }));
  return db.initialize();
}

/** A logger that keeps what it is told, to assert on outcomes. */
export function recordingLogger(): BusLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (first: unknown, second?: unknown) => {
    lines.push(typeof first === 'string' ? first : String(second));
  };
  return { lines, log: keep, warn: keep, error: keep };
}

/** The value of a counter for exactly these labels (0 when never incremented). */
export async function countOf(counter: Counter<string>, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  const match = values.find((value) =>
    Object.entries(labels).every(([name, wanted]) => value.labels[name] === wanted),
  );
  return match?.value ?? 0;
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 5_000,
  everyMs = 20,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A plain amqplib connection for looking at the broker from outside the code under test. */
export interface RawBroker {
  model: ChannelModel;
  channel: Channel;
  /** An auto-delete queue bound to `exchange` for `types`, collecting what arrives. */
  tap(exchange: string, types: string[]): Promise<ConsumeMessage[]>;
  /** Takes every message now in `queue`. */
  drain(queue: string): Promise<Message[]>;
  close(): Promise<void>;
}

export async function rawBroker(url: string): Promise<RawBroker> {
  const model = await connect(url);
  model.on('error', () => undefined);
  const channel = await model.createChannel();
  channel.on('error', () => undefined);
  return {
    model,
    channel,
    async tap(exchange, types) {
      const received: ConsumeMessage[] = [];
      await channel.assertExchange(exchange, 'topic', { durable: true });
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
      for (const type of types) await channel.bindQueue(queue, exchange, type);
      await channel.consume(queue, (message) => message && received.push(message), { noAck: true });
      return received;
    },
    async drain(queue) {
      const messages: Message[] = [];
      for (let message = await channel.get(queue, { noAck: true }); message;) {
        messages.push(message);
        message = await channel.get(queue, { noAck: true });
      }
      return messages;
    },
    close: () => model.close().catch(() => undefined),
  };
}
