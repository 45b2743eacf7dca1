import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Counter, Registry } from 'prom-client';
import { FAILED, FailSoftRedisService } from './fail-soft-redis.service';

describe('FailSoftRedis', () => {
  const setUp = (status: string) => {
    const operations = new Counter({
      name: 'ops',
      help: 'ops',
      labelNames: ['operation', 'outcome'],
      registers: [new Registry()],
    });
    const logger = { warn: jest.fn() } as unknown as Logger;
    const commands = new FailSoftRedisService({ status } as Redis, operations, logger);
    const count = async (outcome: string) =>
      (await operations.get()).values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
    return { commands, logger, count };
  };
  const never = () => new Promise<never>(() => undefined);

  it('passes an answer through', async () => {
    const { commands } = setUp('ready');
    expect(await commands.run('get', async () => 'value')).toBe('value');
  });

  it('gives up on a hung Redis after a short timeout, then leaves it alone for a while', async () => {
    const { commands, logger, count } = setUp('ready');
    const startedAt = Date.now();
    expect(await commands.run('get', never)).toBe(FAILED);
    expect(Date.now() - startedAt).toBeLessThan(1000);

    const command = jest.fn(async () => 'value');
    expect(await commands.run('get', command)).toBe(FAILED);
    expect(command).not.toHaveBeenCalled();
    expect([await count('error'), await count('skipped')]).toEqual([1, 1]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it('swallows a failing command', async () => {
    const { commands } = setUp('ready');
    expect(await commands.run('fill', () => Promise.reject(new Error('READONLY')))).toBe(FAILED);
  });

  it('does not even try while the client is not connected', async () => {
    const { commands, logger } = setUp('reconnecting');
    const command = jest.fn(async () => 'value');
    expect(await commands.run('invalidate', command)).toBe(FAILED);
    expect(command).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
