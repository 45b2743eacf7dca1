import { Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import { z } from 'zod';
import { asyncApiDocument } from '../src/events/asyncapi/asyncapi-document.factory';
import { jsonSchemaOf } from '../src/events/asyncapi/event-message.factory';
import { dataSchemaOf, EVENT_TYPES, EventType, parseEvent, sourceOf } from '../src/events/contracts';
import { SAMPLES, variantsOf } from './event-samples.fixture';
import { subscriptionsInCode } from './system-code.fixture';

const accepts = (raw: unknown) => {
  try {
    parseEvent(raw);
    return true;
  } catch {
    return false;
  }
};

/** A schema as the document holds it, without the ids the parser adds to every schema it reads. */
const asWritten = (schema: unknown): object =>
  JSON.parse(JSON.stringify(schema, (key, value) => (key === 'x-parser-schema-id' ? undefined : value)));

describe('the AsyncAPI document of the events', () => {
  const inCode = subscriptionsInCode();
  const raw = asyncApiDocument({ receivers: { gateway: inCode.gateway } });
  let parsed: NonNullable<Awaited<ReturnType<Parser['parse']>>['document']>;

  beforeAll(async () => {
    const { document, diagnostics } = await new Parser().parse(raw as object);
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0);
    expect(errors.map((error) => `${error.path.join('.')}: ${error.message}`)).toEqual([]);
    parsed = document!;
  });

  it('is a valid AsyncAPI 3.0 document, one channel per event type', () => {
    expect(parsed.version()).toBe('3.0.0');
    expect(
      parsed
        .channels()
        .all()
        .map((channel) => channel.address())
        .sort(),
    ).toEqual([...EVENT_TYPES].sort());
  });

  it('puts every channel on the shop.events topic exchange, routed by type, and sends persistent, mandatory messages', () => {
    for (const channel of parsed.channels().all()) {
      const amqp = channel.bindings().get('amqp')!.value();
      expect(amqp).toMatchObject({
        is: 'routingKey',
        exchange: { name: 'shop.events', type: 'topic', durable: true },
      });
    }
    for (const operation of parsed.operations().filterBySend()) {
      expect(operation.bindings().get('amqp')!.value()).toMatchObject({ deliveryMode: 2, mandatory: true });
    }
  });

  it('names the one sender of each type and every receiver its subscriptions file lists', () => {
    const senders: Record<string, string[]> = {};
    const receivers: Record<string, string[]> = {};
    for (const operation of parsed.operations().all()) {
      const [service] = operation
        .tags()
        .all()
        .map((tag) => tag.name());
      const into = operation.isSend() ? senders : receivers;
      for (const channel of operation.channels().all()) (into[service] ??= []).push(channel.address()!);
    }
    for (const type of EVENT_TYPES) expect(senders[sourceOf(type)]).toContain(type);
    expect(Object.values(senders).flat().sort()).toEqual([...EVENT_TYPES].sort());
    const sorted = Object.fromEntries(
      Object.entries(receivers).map(([service, types]) => [service, types.sort()]),
    );
    expect(sorted).toEqual(inCode);
  });

  it('gives each event type the data schema the bus checks at run time', () => {
    for (const message of parsed.components().messages().all()) {
      const type = message.name() as EventType;
      const payload = asWritten(message.payload()!.json()) as {
        properties: { data: object; version: { const: number } };
      };
      const version = payload.properties.version.const;
      expect(payload.properties.data).toEqual(jsonSchemaOf(dataSchemaOf(type, version) as z.ZodType));
    }
  });

  it('accepts and refuses exactly the events the bus accepts and refuses, for every type', () => {
    const ajv = new Ajv({ allErrors: true, validateFormats: false });
    const payloads = new Map(
      parsed
        .components()
        .messages()
        .all()
        .map((message) => [message.name(), ajv.compile(asWritten(message.payload()!.json()))]),
    );
    let refused = 0;
    for (const sample of SAMPLES) {
      const validate = payloads.get(sample.type)!;
      for (const [variant, event] of variantsOf(sample)) {
        const bus = accepts(event);
        if (!bus) refused += 1;
        expect({ type: sample.type, variant, document: validate(event) }).toEqual({
          type: sample.type,
          variant,
          document: bus,
        });
      }
      expect(validate(sample)).toBe(true);
    }
    expect(refused).toBeGreaterThan(SAMPLES.length * 5);
  });
});
