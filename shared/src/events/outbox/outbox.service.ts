import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { EventData, EventSource, EventType, parseEvent, ShopEvent } from '../contracts';
import { currentCorrelationId } from '../correlation.store';
import { afterCommit } from '../../database/after-commit.hook';
import { captureTraceContext, TraceCarrier } from '../../tracing/trace-context.service';
import type { ClaimedEvent } from './outbox.repository';

/** What a service says about an event; the outbox fills in the rest of the envelope. */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  /** The id of the entity the event is about (order id, item id, …). */
  aggregateId: string;
  /** The entity's version after the change, so consumers can ignore older events. */
  aggregateVersion: number;
  data: EventData<T>;
  /** The version of the type's contract `data` follows: 1 unless a change is under way (`LATER_VERSIONS`). */
  version?: number;
  /** Defaults to the correlation id of the request or event being handled, else a new one. */
  correlationId?: string;
}

export interface OutboxServiceOptions {
  /** The publishing service: the events' `source`. */
  service: EventSource;
  /** The schema holding the outbox table; defaults to the service name. */
  schema?: string;
}

/** The relay of this process, when there is one: it takes events straight after their commit. */
export interface OutboxDispatcher {
  /** How long a row written for the dispatcher stays claimed for it. */
  readonly leaseMs: number;
  dispatch(rows: ClaimedEvent[]): void;
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
 * reaches the broker before the commit.
 *
 * With a dispatcher (the service's own relay, as `EventBusModule` wires it)
 * each row is written already claimed for that relay, and handed to it the
 * moment the transaction commits: no NOTIFY, no claim query. Should the
 * process die first, the claim expires and any relay's next round sends the
 * row. Without one, the row is left for the relay's rounds and a NOTIFY on
 * commit wakes them.
 *
 * @example
 * await this.db.transaction(async (tx) => {
 *   await tx.save(order);
 *   await this.outbox.add(tx, { type: 'order.placed', aggregateId: order.id, aggregateVersion: order.version, data });
 * });
 */
export class OutboxService {
  private readonly schema: string;

  constructor(
    private readonly options: OutboxServiceOptions,
    private readonly dispatcher?: OutboxDispatcher,
  ) {
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
      version: event.version ?? 1,
      occurredAt: new Date().toISOString(),
      source: this.options.service,
      correlationId: event.correlationId ?? currentCorrelationId() ?? id,
      aggregateId: event.aggregateId,
      aggregateVersion: event.aggregateVersion,
      data: event.data,
    }) as ShopEvent<T>;

    const traceContext = captureTraceContext();
    const payload = JSON.stringify(
      traceContext ? { ...envelope, [TRACE_CONTEXT_KEY]: traceContext } : envelope,
    );
    if (this.dispatcher) await this.addForDispatch(tx, envelope, payload, this.dispatcher, traceContext);
    else await this.addForRelayRound(tx, envelope, payload);
    return envelope;
  }

  private async addForDispatch(
    tx: EntityManager,
    event: ShopEvent,
    payload: string,
    dispatcher: OutboxDispatcher,
    traceContext: TraceCarrier | undefined,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.schema}.outbox (id, type, payload, attempts, claimed_until)
       VALUES ($1, $2, $3, 1, now() + make_interval(secs => $4 / 1000.0))`,
      [event.id, event.type, payload, dispatcher.leaseMs],
    );
    const row: ClaimedEvent = { id: event.id, event, attempts: 1, ...(traceContext ? { traceContext } : {}) };
    afterCommit(tx, () => dispatcher.dispatch([row]));
  }

  private async addForRelayRound(tx: EntityManager, event: ShopEvent, payload: string): Promise<void> {
    // One round trip for both; identical notifications of one transaction are folded into one by Postgres.
    await tx.query(
      `WITH written AS (INSERT INTO ${this.schema}.outbox (id, type, payload) VALUES ($1, $2, $3) RETURNING id)
       SELECT pg_notify($4, '') FROM written`,
      [event.id, event.type, payload, outboxChannel(this.schema)],
    );
  }
}
