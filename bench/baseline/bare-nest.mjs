// The memory floor of a service: a bare Nest application on Fastify with one controller, a
// connected TypeORM DataSource (pg) and a connected amqplib channel, as Nest providers — what
// every service holds before it does anything of its own. Plain JavaScript: the decorators
// are applied as the functions they are. It serves GET /health/ready and nothing else, and
// leaves out logging, metrics, validation, OpenAPI, tracing and the services' own modules.
import 'reflect-metadata';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import amqp from 'amqplib';
import { DataSource } from 'typeorm';

const env = process.env;
const AMQP = Symbol('AMQP');

class HealthController {
  constructor(db, broker) {
    this.db = db;
    this.broker = broker;
  }

  async ready() {
    await this.db.query('SELECT 1');
    return { status: 'ok', broker: this.broker.channel ? 'up' : 'down' };
  }
}
Inject(DataSource)(HealthController, undefined, 0);
Inject(AMQP)(HealthController, undefined, 1);
Controller('health')(HealthController);
Get('ready')(
  HealthController.prototype,
  'ready',
  Object.getOwnPropertyDescriptor(HealthController.prototype, 'ready'),
);

class AppModule {}
Module({
  controllers: [HealthController],
  providers: [
    {
      provide: DataSource,
      useFactory: () =>
        new DataSource({ type: 'postgres', url: env.DATABASE_URL, extra: { max: 10 } }).initialize(),
    },
    {
      provide: AMQP,
      useFactory: async () => {
        const connection = await amqp.connect(env.RABBITMQ_URL, { noDelay: true });
        return { connection, channel: await connection.createConfirmChannel() };
      },
    },
  ],
})(AppModule);

const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
await app.listen(Number(env.PORT ?? 4191), '127.0.0.1');

const stop = async () => {
  await app
    .get(AMQP)
    .connection.close()
    .catch(() => undefined);
  await app
    .get(DataSource)
    .destroy()
    .catch(() => undefined);
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
