export * from './test-vhost.fixture';
