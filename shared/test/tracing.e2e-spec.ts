import { Inject, Injectable, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { DataSource, type EntityManager } from 'typeorm';
import { createServiceApp } from '../src/bootstrap/service-app.factory';
import { DatabaseModule } from '../src/database/database.module';
import type { ShopEvent } from '../src/events/contracts';
import { defineSubscriptions, type EventHandler } from '../src/events/consumer/event.handler';
import { EventBusModule } from '../src/events/event-bus.module';
import { createEventTablesMigration } from '../src/events/outbox/event-tables.migration';
import { OutboxService } from '../src/events/outbox/outbox.service';
import { createTestVhost, type TestVhost } from '../src/events/testing/test-vhost.fixture';
import { createTestDatabase, type TestDatabase } from '../src/testing/test-database.fixture';
import { startTracing, stopTracing, tracingStarted } from '../src/tracing';
import { CreateTestEffects1700000000001, eventually } from './events.fixture';

const exporter = new InMemorySpanExporter();
const spanNamed = (name: string): ReadableSpan | undefined =>
  exporter.getFinishedSpans().find((span) => span.name === name);

/** Records its effect and writes a follow-up event in the same transaction, like a real handler. */
@Injectable()
class StockReservedHandler implements EventHandler<'inventory.reserved'> {
  constructor(@Inject(OutboxService) private readonly outbox: OutboxService) {}

  async handle(event: ShopEvent<'inventory.reserved'>, tx: EntityManager): Promise<void> {
    await tx.query(`INSERT INTO inventory.effects (event_id, type) VALUES ($1, $2)`, [event.id, event.type]);
    const { itemId } = event.data.lines[0];
    await this.outbox.add(tx, {
      type: 'inventory.low_stock',
      aggregateId: itemId,
      aggregateVersion: 1,
      data: { itemId, available: 1, threshold: 5 },
    });
  }
}

describe('tracing', () => {
  it('starts nothing when OTEL_EXPORTER_OTLP_ENDPOINT is unset', () => {
    const started = startTracing('inventory', {
      env: {},
      spanProcessors: [new SimpleSpanProcessor({ exporter })],
    });
    expect(started).toBeUndefined();
    expect(tracingStarted()).toBe(false);
    const span = trace.getTracer('test').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    span.end();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  // Instrumentations hook Node's require(), which Jest's module loader bypasses:
  // this one runs in a Node process of its own, on the built package.
  it('makes a server span for a request to a service app, child of the caller', async () => {
    const fixture = path.join(__dirname, 'fixtures', 'traced-request.mjs');
    const { stdout } = await promisify(execFile)(process.execPath, [fixture], { timeout: 20_000 });
    const spans = JSON.parse(stdout) as {
      kind: number;
      traceId: string;
      spanId: string;
      parentSpanId?: string;
    }[];
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    const client = spans.find((span) => span.kind === SpanKind.CLIENT);
    expect(server).toBeDefined();
    expect(server?.traceId).toBe(client?.traceId);
    expect(server?.parentSpanId).toBe(client?.spanId);
  });

  describe('with an endpoint', () => {
    let vhost: TestVhost;
    let database: TestDatabase;
    let app: NestFastifyApplication;
    const logLines: Record<string, unknown>[] = [];

    beforeAll(async () => {
      startTracing('inventory', {
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
        spanProcessors: [new SimpleSpanProcessor({ exporter })],
      });
      [vhost, database] = await Promise.all([
        createTestVhost(),
        createTestDatabase({
          services: [
            {
              schema: 'inventory',
              migrations: [
                createEventTablesMigration('inventory', 1700000000000),
                CreateTestEffects1700000000001,
              ],
            },
          ],
        }),
      ]);

      @Module({
        imports: [
          DatabaseModule.forRoot({
            url: database.runtimeUrl('inventory'),
            schema: 'inventory',
            entities: [],
          }),
          EventBusModule.forRoot({
            url: vhost.url,
            service: 'inventory',
            subscriptions: defineSubscriptions({ 'inventory.reserved': StockReservedHandler }),
            retryDelaysMs: [100],
            relay: { pollIntervalMs: 60_000 },
          }),
        ],
        providers: [StockReservedHandler],
      })
      class InventoryTestModule {}

      const logStream = new PassThrough();
      logStream.on('data', (chunk: Buffer) =>
        chunk
          .toString('utf8')
          .split('\n')
          .filter(Boolean)
          .forEach((line) => logLines.push(JSON.parse(line) as Record<string, unknown>)),
      );
      app = await createServiceApp(InventoryTestModule, { name: 'inventory', port: 0, logStream });
    });

    afterAll(async () => {
      await app?.close();
      await stopTracing();
      await Promise.all([vhost?.delete(), database?.drop()]);
    });

    it('carries the trace of the writer through the outbox, the broker and the handler', async () => {
      expect(tracingStarted()).toBe(true);
      const db = app.get(DataSource);
      const outbox = app.get(OutboxService);
      const orderId = randomUUID();

      // The request (or handler) that writes the event.
      const { reserved, traceId, writerSpanId } = await trace
        .getTracer('test')
        .startActiveSpan('POST /reservations', { kind: SpanKind.SERVER }, async (span) => {
          const event = await db.transaction((tx) =>
            outbox.add(tx, {
              type: 'inventory.reserved',
              aggregateId: orderId,
              aggregateVersion: 1,
              data: { orderId, lines: [{ itemId: randomUUID(), quantity: 1 }] },
            }),
          );
          span.end();
          return {
            reserved: event,
            traceId: span.spanContext().traceId,
            writerSpanId: span.spanContext().spanId,
          };
        });

      // The context is kept beside the envelope in the row, never inside the event.
      const [row] = await db.query(`SELECT payload FROM inventory.outbox WHERE id = $1`, [reserved.id]);
      expect(row.payload._traceContext.traceparent).toContain(traceId);
      expect(reserved).not.toHaveProperty('_traceContext');

      // Everything up to the handler's own follow-up event, published by the relay.
      await eventually(
        () => spanNamed('publish inventory.low_stock') && spanNamed('process inventory.reserved'),
      );
      const publish = spanNamed('publish inventory.reserved');
      const consume = spanNamed('process inventory.reserved');
      const followUp = spanNamed('publish inventory.low_stock');

      expect(publish?.kind).toBe(SpanKind.PRODUCER);
      expect(consume?.kind).toBe(SpanKind.CONSUMER);
      expect(publish?.attributes['messaging.message.id']).toBe(reserved.id);
      expect([publish, consume, followUp].map((span) => span?.spanContext().traceId)).toEqual([
        traceId,
        traceId,
        traceId,
      ]);
      expect(publish?.parentSpanContext?.spanId).toBe(writerSpanId);
      expect(consume?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
      expect(followUp?.parentSpanContext?.spanId).toBe(consume?.spanContext().spanId);

      // The consumer's log line is written inside the trace and carries its id.
      await eventually(() => logLines.some((line) => line.trace_id === traceId && line.outcome === 'ok'));
    });
  });
});
