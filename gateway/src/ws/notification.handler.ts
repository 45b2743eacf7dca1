import { Injectable } from '@nestjs/common';
import type { ShopEvent } from '@shop/shared';
import { DenyListStore } from '../deny-list/deny-list.store';
import { SocketRegistryService } from './socket-registry.service';

/** Who sees `inventory.low_stock`. */
const LOW_STOCK_SCOPE = 'inventory:read';

/**
 * What the gateway does with each event it hears: an order's outcome goes to
 * its owner's sockets only, low stock to the holders of inventory:read, an
 * announcement to every socket, and a disabled or deleted user is denied and
 * their sockets closed.
 */
@Injectable()
export class NotificationHandler {
  constructor(
    private readonly registry: SocketRegistryService,
    private readonly denyList: DenyListStore,
  ) {}

  async handle(event: ShopEvent): Promise<void> {
    switch (event.type) {
      case 'order.confirmed':
      case 'order.rejected':
      case 'order.cancelled': {
        const { userId, ...data } = (event as ShopEvent<'order.confirmed'>).data;
        return this.registry.sendToUser(userId, { type: event.type, data });
      }
      case 'inventory.low_stock': {
        const { itemId, available, threshold } = (event as ShopEvent<'inventory.low_stock'>).data;
        return this.registry.sendToScope(LOW_STOCK_SCOPE, {
          type: event.type,
          data: { itemId, available, threshold },
        });
      }
      case 'user.disabled':
      case 'user.deleted': {
        const { userId } = (event as ShopEvent<'user.disabled'>).data;
        // deny() refuses the user's tokens here at once; only its Redis write is awaited.
        const denied = this.denyList.deny(userId, new Date(event.occurredAt));
        this.registry.closeUser(userId, event.type === 'user.deleted' ? 'user deleted' : 'user disabled');
        return denied;
      }
      case 'announcement.published': {
        const { message, publishedAt } = (event as ShopEvent<'announcement.published'>).data;
        return this.registry.sendToAll({ type: 'announcement', data: { message, publishedAt } });
      }
    }
  }
}
