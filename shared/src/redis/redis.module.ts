import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { HealthRegistryService } from '../health/health-registry.service';
import { createRedisClient, RedisClientOptions } from './redis.factory';

/** Injection token of the service's Redis client. */
export const REDIS = Symbol('REDIS');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/** Provides the Redis client (`@Inject(REDIS)`), reported as a non-critical readiness check. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(options: RedisClientOptions): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        {
          provide: REDIS,
          inject: [HealthRegistryService],
          useFactory: (health: HealthRegistryService) => {
            const redis = createRedisClient(options);
            health.register({ name: 'redis', critical: false, check: () => redis.ping() });
            return redis;
          },
        },
        RedisLifecycle,
      ],
      exports: [REDIS],
    };
  }
}
