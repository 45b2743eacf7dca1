export * from './config';
export * from './errors';
export * from './http/request-id';
export * from './metrics/metrics';
export * from './health/health.registry';
export * from './bootstrap/bootstrap-service';
export * from './bootstrap/service-core.module';
