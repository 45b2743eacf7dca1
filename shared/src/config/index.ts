export * from './config.factory';
export * from './env-fields.config';
export * from './config.module';
