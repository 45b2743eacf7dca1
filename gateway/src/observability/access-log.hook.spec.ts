import Fastify from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { writeAccessLog } from './access-log.hook';

describe('writeAccessLog', () => {
  const lines: { level: number; req: { url: string }; res: { statusCode: number } }[] = [];
  const app = Fastify();
  app.addHook('onResponse', writeAccessLog);
  for (const path of ['/health/live', '/metrics', '/docs/openapi/items.json', '/api/v1/items/1'])
    app.get(path, async () => ({ ok: true }));

  const useRootLogger = (level: string) =>
    // The root logger is nestjs-pino's static; the gateway's module sets it at start.
    Object.assign(PinoLogger, {
      root: pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
    });
  const get = async (url: string) => void (await app.inject({ method: 'GET', url }));

  beforeEach(() => (lines.length = 0));
  afterAll(() => app.close());

  it('writes one info line per API request, and none for polls at LOG_LEVEL=info', async () => {
    useRootLogger('info');
    for (const url of ['/health/live', '/metrics', '/docs/openapi/items.json', '/api/v1/items/1'])
      await get(url);
    expect(lines.map((line) => [line.level, line.req.url, line.res.statusCode])).toEqual([
      [30, '/api/v1/items/1', 200],
    ]);
  });

  it('writes the polls at debug', async () => {
    useRootLogger('debug');
    for (const url of ['/health/live', '/metrics', '/docs/openapi/items.json']) await get(url);
    expect(lines.map((line) => [line.level, line.req.url])).toEqual([
      [20, '/health/live'],
      [20, '/metrics'],
      [20, '/docs/openapi/items.json'],
    ]);
  });
});
