export * from './test-database';
export * from './fault-proxy';
export * from '../events/testing';
export * from './test-token-issuer';
// A service's app without listening (for `app.inject()`), fed the same options as main.ts.
export { createServiceApp } from '../bootstrap/bootstrap-service';
export { serviceOptions } from '../bootstrap/service-options';
// What tests assert with: the error a refused configuration throws, the problem an error
// becomes, whether a string is a scope.
export { ConfigError } from '../config/load-config';
export { toProblem } from '../errors/problem.filter';
export { isScope } from '../contracts/scopes';
