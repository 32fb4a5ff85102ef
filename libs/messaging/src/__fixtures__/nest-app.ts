/**
 * Test fixture: a Nest application context using MessagingModule the way a
 * service does. It publishes one message directly and writes one to the
 * outbox, waits until its @HandleMessage methods got both, closes the app and
 * prints `RESULT <json>`. Run as a child process by messaging-module.int-spec.ts
 * (NestJS 12 is ES-modules only: plain Node 24 loads it, Jest without
 * --experimental-vm-modules does not).
 */
import 'reflect-metadata';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';
import { defineMessage, MessageRegistry, type MessageOf } from '@shop/contracts';
import { logLevel } from 'kafkajs';
import type { MessageContext } from '../consumer/handlers';
import { OutboxWriter } from '../outbox/outbox-writer';
import type { MessagePublisher } from '../ports';
import { HandleMessage, MESSAGE_PUBLISHER, MessagingModule } from '../nest';
import { FAST_CONSUMER, openDatabase, quietLogger, requiredEnv as env } from './accounts';

const Ping = defineMessage({
  type: 'Ping',
  version: 1,
  topic: env('TOPIC'),
  schema: z.object({ n: z.number() }),
});
const Pong = defineMessage({
  type: 'Pong',
  version: 1,
  topic: env('TOPIC'),
  schema: z.object({ n: z.number() }),
});
const { pool, sql } = openDatabase(env('DATABASE_URL'));

@Injectable()
class Handlers {
  readonly received: string[] = [];

  @HandleMessage(Ping)
  async onPing(message: MessageOf<typeof Ping>, context: MessageContext): Promise<void> {
    this.received.push(`Ping ${message.payload.n} in ${context.groupId}`);
  }

  @HandleMessage('Pong') // by type name: its latest registered version
  async onPong(message: MessageOf<typeof Pong>, context: MessageContext): Promise<void> {
    this.received.push(`Pong ${message.payload.n} in ${context.groupId}`);
  }
}

@Injectable()
class Sender {
  constructor(
    @Inject(MESSAGE_PUBLISHER) private readonly publisher: MessagePublisher,
    @Inject(OutboxWriter) private readonly outbox: OutboxWriter,
  ) {}

  async send(): Promise<void> {
    await this.publisher.publish(
      Ping.create({ source: 'nest', aggregateId: 'p', aggregateVersion: 1, payload: { n: 1 } }),
    );
    await sql.transaction((tx) =>
      this.outbox.enqueue(
        tx,
        Pong.create({ source: 'nest', aggregateId: 'p', aggregateVersion: 2, payload: { n: 2 } }),
      ),
    );
  }
}

@Module({
  imports: [
    MessagingModule.forRoot({
      clientId: 'nest-app',
      brokers: env('KAFKA_BROKERS').split(','),
      registry: new MessageRegistry([Ping, Pong]),
      consumers: [{ groupId: env('GROUP_ID'), ...FAST_CONSUMER }],
      outboxRelay: { sql, pollIntervalMs: 50 },
      kafka: { logLevel: logLevel.NOTHING },
      logger: quietLogger(),
    }),
  ],
  providers: [Handlers, Sender],
})
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const handlers = app.get(Handlers);
  await app.get(Sender).send();
  const deadline = Date.now() + 30_000;
  while (handlers.received.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await app.close();
  const [outbox] = await sql.query<{ unpublished: number }>(
    'SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished FROM outbox',
  );
  await pool.end();
  process.stdout.write(`RESULT ${JSON.stringify({ received: handlers.received.sort(), ...outbox })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
