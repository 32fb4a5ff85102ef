import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CATALOG_EVENTS, INVENTORY_COMMANDS, INVENTORY_EVENTS, MessageRegistry } from '@shop/contracts';
import { postgresCheck } from '@shop/health';
import { OutboxWriter, messagingLoggerOf } from '@shop/messaging';
import { MessagingModule } from '@shop/messaging/nest';
import { consumerTuningOf, ServiceKitModule } from '@shop/service-kit';
import { createLogger } from '@shop/telemetry';
import { CommitStockConsumer } from './commit-stock/commit-stock.consumer';
import type { InventoryConfig } from './config';
import { ReservationSweeper } from './expire-reservations/reservation-sweeper';
import { InventoryDatabase } from './infrastructure/inventory-database';
import { InventoryInfrastructureModule } from './infrastructure/inventory-infrastructure.module';
import { InspectReservationsController } from './inspect-reservations/inspect-reservations.controller';
import { GetStockController } from './read-stock/get-stock.controller';
import { ReleaseStockConsumer } from './release-stock/release-stock.consumer';
import { ReserveStockConsumer } from './reserve-stock/reserve-stock.consumer';
import { RestockController } from './restock/restock.controller';
import { RestockHandler } from './restock/restock.handler';
import { CATALOG_GROUP, COMMANDS_GROUP, INVENTORY_CONFIG, INVENTORY_LOGGER } from './shared/inventory-tokens';
import { ReservationLedger } from './shared/reservation-ledger';
import { ProductReplicaConsumer } from './stock-records/product-replica.consumer';

export const SERVICE_NAME = 'inventory';

/** Every message the service reads or writes: its commands and replies, and the catalog's product events. */
export const inventoryRegistry = (): MessageRegistry =>
  new MessageRegistry([...INVENTORY_COMMANDS, ...INVENTORY_EVENTS, ...CATALOG_EVENTS.all]);

@Module({})
export class InventoryModule {
  /** The inventory's root module for this configuration (main.ts and the tests build it). */
  static forRoot(config: InventoryConfig): DynamicModule {
    const logger = createLogger({ serviceName: SERVICE_NAME, level: config.LOG_LEVEL });
    const consumerSettings = consumerTuningOf(config);
    const providers: Provider[] = [
      { provide: INVENTORY_CONFIG, useValue: config },
      { provide: INVENTORY_LOGGER, useValue: logger },
      {
        provide: ReservationLedger,
        inject: [InventoryDatabase, OutboxWriter],
        useFactory: (db: InventoryDatabase, outbox: OutboxWriter) =>
          new ReservationLedger(db, outbox, logger),
      },
      {
        provide: RestockHandler,
        inject: [InventoryDatabase],
        useFactory: (db: InventoryDatabase) => new RestockHandler(db),
      },
      ReserveStockConsumer,
      ReleaseStockConsumer,
      CommitStockConsumer,
      ProductReplicaConsumer,
      ReservationSweeper,
    ];
    return {
      module: InventoryModule,
      imports: [
        InventoryInfrastructureModule.forRoot(config),
        ServiceKitModule.forRoot({
          serviceName: SERVICE_NAME,
          identitySecret: config.IDENTITY_HMAC_SECRET,
          // Not Redis: only the sweeper's election needs it, and reservations go on without it.
          readiness: {
            inject: [InventoryDatabase],
            useFactory: (db: InventoryDatabase) => ({ checks: [postgresCheck({ database: db.sql })] }),
          },
        }),
        MessagingModule.forRootAsync({
          inject: [InventoryDatabase],
          useFactory: (db: InventoryDatabase) => ({
            clientId: SERVICE_NAME,
            brokers: config.KAFKA_BROKERS,
            registry: inventoryRegistry(),
            consumers: [
              {
                groupId: COMMANDS_GROUP,
                partitionsConsumedConcurrently: config.COMMAND_PARTITIONS_CONCURRENCY,
                ...consumerSettings,
              },
              { groupId: CATALOG_GROUP, ...consumerSettings },
            ],
            outboxRelay: {
              sql: db.sql,
              name: SERVICE_NAME,
              pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
              duplicateEveryMessage: config.CHAOS_DUPLICATE_DELIVERY,
            },
            logger: messagingLoggerOf(logger),
          }),
        }),
      ],
      controllers: [InspectReservationsController, GetStockController, RestockController],
      providers,
    };
  }
}
