export * from './data-source.factory';
export * from './migrations.service';
export * from './database.module';
export * from './unit-of-work.interceptor';
export * from './unit-of-work.service';
