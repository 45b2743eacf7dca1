export * from './data-source.factory';
export * from './run-migrations';
export * from './database.module';
