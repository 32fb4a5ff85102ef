import { Inject, Injectable } from '@nestjs/common';
import { EventStore } from '@shop/event-store';
import { OrderDatabase } from './order-database';

/**
 * The event store on the order database (order streams `order-<id>`): an
 * `EventStore`, injectable. `store` is the same object, for readers that
 * prefer `eventStore.store.readAll(...)`.
 */
@Injectable()
export class OrderEventStore extends EventStore {
  constructor(@Inject(OrderDatabase) database: OrderDatabase) {
    super(database.sql);
  }

  get store(): EventStore {
    return this;
  }
}
