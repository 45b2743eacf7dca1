export * from './test-database';
export * from './fault-proxy';
export * from '../events/testing';
export * from './test-token-issuer';
