import { Registry } from 'prom-client';
import { AmqpConnectionService } from '../src/events/amqp-connection.service';
import { silentBusLogger } from '../src/events/bus-logger.factory';
import { InvalidEventError } from '../src/events/contracts';
import { EventBusError } from '../src/events/event-bus.errors';
import { EventBusMetrics } from '../src/events/event-bus.metrics';
import { EventPublisherService } from '../src/events/event-publisher.service';
import { createTestVhost, TestVhost } from '../src/events/testing/test-vhost.fixture';
import { DEFAULT_EXCHANGE } from '../src/events/topology.model';
import { countOf, eventually, orderPlaced, rawBroker, RawBroker } from './events.fixture';

describe('event publisher', () => {
  let vhost: TestVhost;
  let connection: AmqpConnectionService;
  let publisher: EventPublisherService;
  let metrics: EventBusMetrics;
  let broker: RawBroker;

  beforeAll(async () => {
    vhost = await createTestVhost();
    broker = await rawBroker(vhost.url);
    connection = new AmqpConnectionService({ url: vhost.url, name: 'orders-test', logger: silentBusLogger });
    connection.start();
    await connection.waitUntilConnected();
    metrics = new EventBusMetrics(new Registry());
    publisher = new EventPublisherService(connection, { metrics, confirmTimeoutMs: 2_000 });
  });

  afterAll(async () => {
    await publisher?.close();
    await connection?.close();
    await broker?.close();
    await vhost?.delete();
  });

  it('resolves once the broker confirms, and delivers the event with its id, type, source and correlation id', async () => {
    const received = await broker.tap(DEFAULT_EXCHANGE, ['order.placed']);
    const event = orderPlaced();

    await publisher.publish(event);

    const [message] = await eventually(() => received.length > 0 && received);
    expect(JSON.parse(message.content.toString())).toEqual(event);
    expect(message.fields.routingKey).toBe('order.placed');
    expect(message.properties).toMatchObject({
      deliveryMode: 2,
      contentType: 'application/json',
      messageId: event.id,
      type: 'order.placed',
      appId: 'orders',
      timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
      headers: { correlationId: event.correlationId },
    });
    expect(await countOf(metrics.published, { type: 'order.placed', outcome: 'ok' })).toBe(1);
  });

  it('refuses an event that breaks its schema and sends nothing', async () => {
    const received = await broker.tap(DEFAULT_EXCHANGE, ['order.placed']);
    const broken = orderPlaced();
    (broken.data as { total: unknown }).total = 25; // money must be a decimal string

    await expect(publisher.publish(broken)).rejects.toBeInstanceOf(InvalidEventError);
    await publisher.publish(orderPlaced()); // a marker: once it arrives, anything sent before has too
    await eventually(() => received.length > 0);
    expect(received.map((message) => message.properties.messageId)).not.toContain(broken.id);
  });

  it('rejects an event no queue is bound for, and publishes the next one on the same channel', async () => {
    const nobodyListens = { ...orderPlaced(), type: 'order.confirmed' as const };
    const unroutable = {
      ...nobodyListens,
      data: {
        orderId: nobodyListens.aggregateId,
        userId: nobodyListens.data.userId,
        status: 'CONFIRMED' as const,
      },
    };

    const error = await publisher.publish(unroutable).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EventBusError);
    expect((error as EventBusError).code).toBe('BUS.UNROUTABLE');

    const received = await broker.tap(DEFAULT_EXCHANGE, ['order.confirmed']);
    await publisher.publish(unroutable);
    await eventually(() => received.length === 1);
  });

  it('fails fast with BUS.NOT_CONNECTED before the connection is up', async () => {
    const idle = new AmqpConnectionService({
      url: vhost.url,
      name: 'never-started',
      logger: silentBusLogger,
    });
    const offline = new EventPublisherService(idle, {});

    const error = await offline.publish(orderPlaced()).catch((caught: unknown) => caught);
    expect((error as EventBusError).code).toBe('BUS.NOT_CONNECTED');
  });
});
