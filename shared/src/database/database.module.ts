import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, MixedList, EntitySchema } from 'typeorm';
import { HealthRegistryService } from '../health/health-registry.service';
import { createDataSourceOptions } from './data-source.factory';
import { UnitOfWorkService } from './unit-of-work.service';

export interface DatabaseModuleOptions {
  /** The service's runtime role URL (DATABASE_URL): DML on its own schema, nothing else. */
  url: string;
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  poolSize?: number;
}

@Injectable()
class DatabaseLifecycle implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.db.isInitialized) await this.db.destroy();
  }
}

/**
 * Provides the service's TypeORM `DataSource`, connected as its runtime role,
 * and the per-request unit of work on it.
 * The database is the one critical readiness check: a service that cannot
 * reach it cannot serve.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [HealthRegistryService],
          useFactory: async (health: HealthRegistryService) => {
            const db = new DataSource(
              createDataSourceOptions({
                url: options.url,
                schema: options.schema,
                entities: options.entities,
                migrations: [],
                poolSize: options.poolSize,
              }),
            );
            await db.initialize();
            health.register({ name: 'database', critical: true, check: () => db.query('SELECT 1') });
            return db;
          },
        },
        DatabaseLifecycle,
        UnitOfWorkService,
      ],
      exports: [DataSource, UnitOfWorkService],
    };
  }
}
