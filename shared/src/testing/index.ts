export * from './test-database.fixture';
export * from './fault-proxy.fixture';
export * from '../events/testing';
export * from './test-token-issuer.fixture';
export { eventually } from './eventually.fixture';
// A service's app without listening (for `app.inject()`), fed the same options as main.ts.
export { createServiceApp } from '../bootstrap/service-app.factory';
export { serviceOptions } from '../bootstrap/service.options';
// What tests assert with: the error a refused configuration throws, the problem an error
// becomes, whether a string is a scope.
export { ConfigError } from '../config/config.errors';
export { toProblem } from '../errors/problem.filter';
export { isScope } from '../contracts/scopes.model';
// The global guard, for a controller unit test that lets a chosen user through instead
// (`overrideProvider(JwtAuthGuard)`; the one swap of a real part such a test may make).
export { JwtAuthGuard } from '../auth/jwt-auth.guard';
