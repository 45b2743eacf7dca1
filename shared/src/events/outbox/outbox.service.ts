import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { EventData, EventSource, EventType, parseEvent, ShopEvent } from '../contracts';
import { currentCorrelationId } from '../correlation.context';
import { captureTraceContext } from '../../tracing/trace-context';

/** What a service says about an event; the outbox fills in the rest of the envelope. */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  /** The id of the entity the event is about (order id, item id, …). */
  aggregateId: string;
  /** The entity's version after the change, so consumers can ignore older events. */
  aggregateVersion: number;
  data: EventData<T>;
  /** Defaults to the correlation id of the request or event being handled, else a new one. */
  correlationId?: string;
}

export interface OutboxServiceOptions {
  /** The publishing service: the events' `source`. */
  service: EventSource;
  /** The schema holding the outbox table; defaults to the service name. */
  schema?: string;
}

/**
 * The key of an outbox row's `payload` holding the trace context the event was
 * written in (W3C `traceparent`/`tracestate`), present only when tracing is
 * on. It is not part of the envelope: the relay takes it out when it claims
 * the row and sends it as message headers instead.
 */
export const TRACE_CONTEXT_KEY = '_traceContext';

/** The NOTIFY channel the relay of a schema listens on. */
export const outboxChannel = (schema: string): string => `${schema}_outbox`;

/**
 * Writes events to the outbox inside the caller's transaction, so an event
 * exists if and only if the state change that caused it committed. Nothing
 * reaches the broker from here: the relay publishes after the commit.
 *
 * @example
 * await this.db.transaction(async (tx) => {
 *   await tx.save(order);
 *   await this.outbox.add(tx, { type: 'order.placed', aggregateId: order.id, aggregateVersion: order.version, data });
 * });
 */
export class OutboxService {
  private readonly schema: string;

  constructor(private readonly options: OutboxServiceOptions) {
    this.schema = options.schema ?? options.service;
    if (!/^[a-z_][a-z0-9_]*$/.test(this.schema)) throw new Error(`Invalid schema name "${this.schema}"`);
  }

  /**
   * Adds one event to the outbox in transaction `tx` and wakes the relay when
   * that transaction commits (a NOTIFY is delivered only on commit).
   *
   * @throws InvalidEventError when the event breaks its schema or belongs to another service
   * @returns the complete event, as it will be published
   */
  async add<T extends EventType>(tx: EntityManager, event: NewEvent<T>): Promise<ShopEvent<T>> {
    if (!tx.queryRunner?.isTransactionActive) {
      throw new Error('OutboxService.add needs the EntityManager of a transaction (db.transaction(tx => …))');
    }
    const id = randomUUID();
    const envelope = parseEvent({
      id,
      type: event.type,
      version: 1,
      occurredAt: new Date().toISOString(),
      source: this.options.service,
      correlationId: event.correlationId ?? currentCorrelationId() ?? id,
      aggregateId: event.aggregateId,
      aggregateVersion: event.aggregateVersion,
      data: event.data,
    }) as ShopEvent<T>;

    const traceContext = captureTraceContext();
    const payload = traceContext ? { ...envelope, [TRACE_CONTEXT_KEY]: traceContext } : envelope;
    await tx.query(`INSERT INTO ${this.schema}.outbox (id, type, payload) VALUES ($1, $2, $3)`, [
      envelope.id,
      envelope.type,
      JSON.stringify(payload),
    ]);
    // Identical notifications of one transaction are folded into one by Postgres.
    await tx.query(`SELECT pg_notify($1, '')`, [outboxChannel(this.schema)]);
    return envelope;
  }
}
