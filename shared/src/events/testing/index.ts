export * from './test-vhost';
