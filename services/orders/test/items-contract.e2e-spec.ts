import { HttpMetrics } from '@shop/shared';
import Ajv from 'ajv';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ItemsClient } from '../src/items/items.client';
import { OrdersMetrics } from '../src/orders/orders.metrics';
import { loadOrdersConfig } from '../src/orders.config';

const ROOT = join(__dirname, '../../..');

type Schema = { type?: string; format?: string; example?: unknown; nullable?: boolean } & Record<
  string,
  unknown
>;
interface Operation {
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema: Schema; example?: unknown }> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

/** Items' OpenAPI document as its `/openapi.json` serves it, from the built dist (`npm run build`). */
async function itemsDocument(): Promise<OpenApi> {
  const script = `import { documentOf } from ${JSON.stringify(join(ROOT, 'scripts/openapi/documents.mjs'))};
    process.stdout.write(JSON.stringify(await documentOf('items'))); process.exit(0);`;
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout);
  } catch (error) {
    throw new Error(
      `Could not build the items document; run \`npm run build\` first.\n${(error as Error).message}`,
      { cause: error },
    );
  }
}

const deref = (document: OpenApi, schema: Schema): Schema =>
  typeof schema.$ref === 'string' ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;

/** An object the schema describes, from its examples (a value of its type and format where none). */
function sampleOf(document: OpenApi, schema: Schema): Record<string, unknown> {
  const value = (property: Schema): unknown => {
    if (property.example !== undefined) return property.example;
    if (property.nullable) return null;
    if (property.format === 'uuid') return randomUUID();
    if (property.format === 'date-time') return new Date().toISOString();
    return property.type === 'string' ? 'text' : property.type === 'integer' ? 1 : {};
  };
  const properties = deref(document, schema).properties as Record<string, Schema>;
  return Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, value(property)]));
}

/** The operation of `document` whose path template matches `path`, and its path parameters. */
function operationFor(document: OpenApi, method: string, path: string) {
  for (const [template, operations] of Object.entries(document.paths)) {
    const names: string[] = [];
    const pattern = template.replace(/\{(\w+)\}/g, (_match, name) => (names.push(name), '([^/]+)'));
    const match = new RegExp(`^${pattern}$`).exec(path);
    const operation = operations[method.toLowerCase()];
    if (match && operation) {
      const params = Object.fromEntries(
        names.map((name, index) => [name, decodeURIComponent(match[index + 1])]),
      );
      return { template, operation, params };
    }
  }
  return undefined;
}

describe("orders' client of items, against items' OpenAPI document", () => {
  let document: OpenApi;
  let answer: (request: IncomingMessage) => { status: number; body: unknown };
  const seen: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    seen.push(request);
    const { status, body } = answer(request);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  let client: ItemsClient;

  beforeAll(async () => {
    document = await itemsDocument();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const config = loadOrdersConfig({
      DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      ITEMS_URL: `http://127.0.0.1:${port}`,
      ITEMS_RETRIES: '0',
    });
    client = new ItemsClient(config, new OrdersMetrics(new HttpMetrics('orders')));
  }, 60_000);

  afterAll(async () => {
    await client?.onApplicationShutdown();
    await new Promise((resolve) => server.close(resolve));
  });

  const caller = { token: 'a.b.c', requestId: 'contract' };

  it("calls an operation of the document with the item's id as its path parameter and a bearer token", async () => {
    const itemId = randomUUID();
    answer = () => ({ status: 404, body: {} });
    await client.priceOf(itemId, caller);

    const request = seen.at(-1)!;
    const found = operationFor(document, request.method!, request.url!.split('?')[0]);
    expect(found).toBeDefined();
    expect(found!.params).toEqual({ id: itemId });
    const declared = found!.operation.parameters!.filter((parameter) => parameter.in === 'path');
    expect(declared.map((parameter) => parameter.name)).toEqual(['id']);
    expect(found!.operation.security?.length).toBeGreaterThan(0);
    expect(request.headers.authorization).toBe(`Bearer ${caller.token}`);
  });

  it("reads the price from a body shaped as the document's 200 response, and it fits the document's schema", async () => {
    const itemId = randomUUID();
    const { operation } = operationFor(document, 'GET', `/api/v1/items/${itemId}`)!;
    const schema = operation.responses['200'].content!['application/json'].schema;
    const body = { ...sampleOf(document, schema), id: itemId };
    const ajv = new Ajv({ strict: false, validateFormats: false });
    ajv.addSchema({ components: document.components }, 'items.json');
    const validate = ajv.compile({ $ref: `items.json${schema.$ref as string}` });
    expect(validate(body)).toBe(true);
    answer = () => ({ status: 200, body });

    const price = await client.priceOf(itemId, caller);

    const declaredPrice = (deref(document, schema).properties as Record<string, Schema>).price;
    expect(declaredPrice).toBeDefined();
    expect(price).toBe(declaredPrice.example);
  });

  it("takes the document's 404 for an unknown item, and answers null", async () => {
    const itemId = randomUUID();
    const { operation } = operationFor(document, 'GET', `/api/v1/items/${itemId}`)!;
    const notFound = operation.responses['404'];
    expect(notFound).toBeDefined();
    answer = () => ({ status: 404, body: notFound.content?.['application/problem+json']?.example ?? {} });

    expect(await client.priceOf(itemId, caller)).toBeNull();
  });
});
