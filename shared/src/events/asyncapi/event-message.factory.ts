import { z } from 'zod';
import { dataSchemaOf, envelopeSchema, EventType, LATER_VERSIONS, sourceOf } from '../contracts';

type JsonSchema = Record<string, unknown>;

/** `order.placed`, version 2 → `order.placed.v2`: the message's id in the document. */
export const messageId = (type: EventType, version: number): string => `${type}.v${version}`;

/** Every version of an event type the bus accepts now: 1, and any in `LATER_VERSIONS`. */
export function versionsOf(type: EventType): number[] {
  const later = Object.keys(LATER_VERSIONS[type] ?? {}).map(Number);
  return [1, ...later.filter((version) => version > 1)].sort((a, b) => a - b);
}

/**
 * A zod schema as JSON Schema draft 7 (what an AsyncAPI schema object is), as
 * the bus reads input: a non-strict object lets other keys through, so its
 * JSON Schema does too.
 */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' });
  return json;
}

/**
 * The whole event of one type and version as JSON Schema: the envelope with
 * its `type`, `version` and `source` fixed and `data` the version's schema.
 * Together these are exactly what `parseEvent` checks.
 */
export function eventPayloadSchema(type: EventType, version: number): JsonSchema {
  const data = dataSchemaOf(type, version);
  if (!data) throw new Error(`${type} has no version ${version}`);
  const envelope = jsonSchemaOf(envelopeSchema);
  const properties = envelope.properties as Record<string, JsonSchema>;
  return {
    ...envelope,
    properties: {
      ...properties,
      type: { ...properties.type, const: type },
      version: { ...properties.version, const: version },
      source: { ...properties.source, const: sourceOf(type) },
      data: jsonSchemaOf(data),
    },
  };
}

/** The AsyncAPI message object of one version of an event type. */
export function eventMessage(type: EventType, version: number) {
  return {
    name: type,
    title: `${type} (version ${version})`,
    summary: `The envelope of a ${type} event; its data in version ${version} of the contract.`,
    contentType: 'application/json',
    correlationId: {
      description: 'Shared by every event and request that one user action caused.',
      location: '$message.payload#/correlationId',
    },
    headers: {
      type: 'object',
      description: 'AMQP headers; the trace context is there only when tracing is on.',
      properties: {
        correlationId: {
          type: 'string',
          description: 'The payload’s correlationId, for reading without the body.',
        },
        traceparent: {
          type: 'string',
          description: 'W3C trace context of the span that published the event.',
        },
        tracestate: { type: 'string' },
      },
    },
    payload: eventPayloadSchema(type, version),
    bindings: { amqp: { messageType: type, bindingVersion: '0.3.0' } },
  };
}
