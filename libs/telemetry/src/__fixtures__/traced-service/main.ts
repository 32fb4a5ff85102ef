/**
 * A tiny service run as a child process by auto-instrumentation.int-spec.ts:
 * real require-time instrumentation (impossible inside Jest) and real OTLP/HTTP
 * export. One request writes to Postgres and Redis and an outbox entry; a relay
 * publishes the entry to Kafka; a consumer handles it and queries Postgres.
 * Configured by the environment the test passes.
 */
import { telemetry } from './telemetry'; // first, so the libraries below are patched
import { Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { Pool } from 'pg';
import {
  createLogger,
  extractTraceContext,
  injectTraceHeaders,
  kafkaMessageAttributes,
  NestPinoLogger,
  TelemetryModule,
  withConsumerSpan,
  withProducerSpan,
} from '../../index';

const config = {
  postgresUrl: required('POSTGRES_URL'),
  redisUrl: required('REDIS_URL'),
  redisPrefix: required('REDIS_PREFIX'),
  brokers: required('KAFKA_BROKERS').split(','),
  topic: required('TOPIC'),
  groupId: required('GROUP_ID'),
};
const logger = createLogger({ serviceName: 'traced-fixture' });
const pool = new Pool({ connectionString: config.postgresUrl });
const redis = new Redis(config.redisUrl, { keyPrefix: config.redisPrefix });
const outbox: Record<string, string>[] = [];

@Controller('orders')
class OrdersController {
  @Post(':id')
  @HttpCode(202)
  async place(@Param('id') id: string): Promise<{ id: string }> {
    await pool.query('SELECT 1');
    await redis.set(`order:${id}`, 'placed');
    outbox.push(injectTraceHeaders({}));
    logger.info({ orderId: id }, 'order placed');
    return { id };
  }
}

@Module({
  imports: [TelemetryModule.forRoot({ serviceName: 'traced-fixture' })],
  controllers: [OrdersController],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), {
    logger: new NestPinoLogger(logger),
  });
  await app.listen(0, '127.0.0.1');
  const response = await fetch(`${await app.getUrl()}/orders/order-1`, { method: 'POST' });
  if (response.status !== 202) throw new Error(`POST /orders answered ${response.status}`);

  const kafka = new Kafka({
    clientId: 'traced-fixture',
    brokers: config.brokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await withProducerSpan(`publish ${config.topic}`, { parent: extractTraceContext(outbox[0]) }, (headers) =>
    producer.send({ topic: config.topic, messages: [{ key: 'order-1', value: 'placed', headers }] }),
  );

  let handled = false;
  const consumer = kafka.consumer({ groupId: config.groupId, sessionTimeout: 6000, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic: config.topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message, partition }) =>
      withConsumerSpan(
        `handle ${config.topic}`,
        message.headers,
        kafkaMessageAttributes({
          topic: config.topic,
          operation: 'process',
          partition,
          offset: message.offset,
        }),
        async () => {
          await pool.query('SELECT 2');
          handled = true;
        },
      ),
  });
  for (const deadline = Date.now() + 30_000; !handled;) {
    if (Date.now() > deadline) throw new Error('the message was not consumed within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  await Promise.all([consumer.disconnect(), producer.disconnect(), app.close(), pool.end(), redis.quit()]);
  await telemetry.shutdown(); // flushes the batch of spans to the OTLP endpoint
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
