export * from './problem.model';
export * from './domain.errors';
export * from './validation.pipe';
export * from './problem.filter';
