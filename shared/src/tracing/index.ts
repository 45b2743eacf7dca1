export * from './tracing.service';
export * from './trace-context.service';
