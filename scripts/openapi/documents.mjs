// Each service's OpenAPI document, made from its built dist/ without any infrastructure.
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

export const SERVICES = ['users', 'items', 'orders', 'inventory'];
const dist = (path) => new URL(`../../${path}`, import.meta.url).href;
const pascal = (name) => name[0].toUpperCase() + name.slice(1);

/** The document `GET /openapi.json` of that service serves, built in Nest's preview mode. */
export async function documentOf(service) {
  const { ServiceCoreModule } = await import(dist('shared/dist/bootstrap/service-core.module.js'));
  const { serviceDocument } = await import(dist('shared/dist/openapi/service-document.factory.js'));
  const { AppModule } = await import(dist(`services/${service}/dist/app.module.js`));
  const configModule = await import(dist(`services/${service}/dist/${service}.config.js`));
  // Only the schema's required variable: a preview never connects to it.
  const config = configModule[`load${pascal(service)}Config`]({
    DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview',
  });
  const root = {
    module: class DocumentRootModule {},
    imports: [ServiceCoreModule.forRoot(service, 'error'), AppModule.forRoot(config)],
  };
  const app = await NestFactory.create(root, new FastifyAdapter(), {
    preview: true,
    abortOnError: false,
    logger: ['error'],
  });
  return serviceDocument(app, service);
}
