import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  afterCommit,
  fitsMoneyColumn,
  formatCents,
  OutboxService,
  totalOf,
  UnitOfWorkService,
} from '@shop/shared';
import { IdempotencyKeysRepository, IdempotencyRecord } from '../../idempotency/idempotency-keys.repository';
import { requestHash } from '../../idempotency/request-hash.model';
import { Caller, ItemsClient } from '../../items/items.client';
import { ORDERS_CONFIG, type OrdersConfig } from '../../orders.config';
import type { OrderLineDto } from '../dto/place-order.dto';
import { orderEvents } from '../../events/orders.events';
import { idempotencyKeyInFlight, idempotencyKeyReused, totalTooLarge, unknownItem } from '../orders.errors';
import { OrdersMetrics } from '../orders.metrics';
import { OrdersRepository } from '../orders.repository';
import type { PlaceOrderCommand, PlaceOrderResult } from './place-order.command';

/**
 * Places an order: prices every line from the items service, then writes the
 * order, its lines, `order.placed` (outbox) and the idempotency record in the
 * request's unit of work (`@UnitOfWork()` on the route), one transaction.
 *
 * Idempotency is race-free because the key's primary key decides, inside that
 * transaction: of concurrent requests with the same (caller, key), one inserts
 * the key; the others' inserts wait for its transaction, then find the key
 * taken, roll back their own order and replay the winner's. A crash
 * leaves nothing half-done to clean up: the key exists only if its order does.
 */
@Injectable()
export class PlaceOrderHandler {
  constructor(
    private readonly unitOfWork: UnitOfWorkService,
    private readonly orders: OrdersRepository,
    private readonly keys: IdempotencyKeysRepository,
    private readonly items: ItemsClient,
    private readonly outbox: OutboxService,
    private readonly metrics: OrdersMetrics,
    @Inject(ORDERS_CONFIG) private readonly config: Pick<OrdersConfig, 'IDEMPOTENCY_KEY_TTL'>,
  ) {}

  async execute(command: PlaceOrderCommand): Promise<PlaceOrderResult> {
    const { caller, idempotencyKey: key } = command;
    const hash = requestHash({ lines: command.lines });
    if (key !== undefined) {
      // A repeat is answered from the record alone, even while items is down.
      const seen = await this.keys.findLive(caller.id, key, this.config.IDEMPOTENCY_KEY_TTL);
      if (seen) return replay(seen, hash);
    }

    const lines = await this.price(command.lines, { token: caller.token, requestId: command.requestId });
    const total = totalOf(lines);
    if (!fitsMoneyColumn(total)) throw totalTooLarge();

    // The request's unit of work begins here, after pricing: no connection is held while items answers.
    const tx = await this.unitOfWork.manager();
    const placed = await this.orders.insert(tx, {
      id: randomUUID(),
      userId: caller.id,
      total: formatCents(total),
      lines,
    });
    if (key !== undefined) {
      const record = { userId: caller.id, key, requestHash: hash, order: placed };
      if (!(await this.keys.claim(tx, record, this.config.IDEMPOTENCY_KEY_TTL))) {
        // Another request owns the key and has committed (our insert waited for it): undo ours, replay its.
        await this.unitOfWork.rollback();
        const winner = await this.keys.findLive(caller.id, key, this.config.IDEMPOTENCY_KEY_TTL);
        if (!winner) throw idempotencyKeyInFlight();
        return replay(winner, hash);
      }
    }
    await this.outbox.add(tx, orderEvents.placed(placed, command.requestId));
    afterCommit(tx, () => this.metrics.orderPlaced());
    return { order: placed, replayed: false };
  }

  private async price(lines: OrderLineDto[], caller: Caller) {
    const prices = await Promise.all(lines.map((line) => this.items.priceOf(line.itemId, caller)));
    return lines.map(({ itemId, quantity }, index) => {
      const unitPrice = prices[index];
      if (unitPrice === null) throw unknownItem(itemId);
      return { itemId, quantity, unitPrice };
    });
  }
}

function replay(record: IdempotencyRecord, hash: string): PlaceOrderResult {
  if (record.requestHash !== hash) throw idempotencyKeyReused();
  return { order: record.order, replayed: true };
}
