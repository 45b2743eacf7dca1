import type { NewEvent } from '@shop/shared';
import type { Item } from '../items/item.entity';

const snapshot = (item: Item) => ({
  itemId: item.id,
  name: item.name,
  price: item.price,
  ownerId: item.ownerId,
});

/** The events the items service publishes; `version` orders them per item. */
export const itemEvents = {
  created: (item: Item): NewEvent<'item.created'> => ({
    type: 'item.created',
    aggregateId: item.id,
    aggregateVersion: item.version,
    data: snapshot(item),
  }),
  updated: (item: Item): NewEvent<'item.updated'> => ({
    type: 'item.updated',
    aggregateId: item.id,
    aggregateVersion: item.version,
    data: snapshot(item),
  }),
  deleted: (item: Item): NewEvent<'item.deleted'> => ({
    type: 'item.deleted',
    aggregateId: item.id,
    // The row is gone; the deletion is one change after its last version.
    aggregateVersion: item.version + 1,
    data: { itemId: item.id },
  }),
};
