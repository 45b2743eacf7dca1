// Each publishing service's own event builders (src/events/<service>.events.ts), fed with
// the entities they are given in the service, so the contract suite checks what the
// producers really write.
import { randomUUID } from 'node:crypto';
import type { EventSource } from '../src/events/contracts';
import type { NewEvent } from '../src/events/outbox/outbox.service';
import { loadFromRepo } from './system-code.fixture';

type Builders = Record<string, (...args: never[]) => NewEvent>;
const builders = async (service: string, name: string): Promise<Builders> =>
  (await loadFromRepo<Record<string, Builders>>(`services/${service}/src/events/${service}.events.ts`))[name];

const id = () => randomUUID();
const correlationId = `contract-${id()}`;

/** One event of every builder of every producer, with the service that writes it. */
export async function producedEvents(): Promise<{ service: EventSource; event: NewEvent }[]> {
  const users = await builders('users', 'userEvents');
  const announcements = await builders('users', 'announcementEvents');
  const items = await builders('items', 'itemEvents');
  const orders = await builders('orders', 'orderEvents');
  const inventory = await builders('inventory', 'inventoryEvents');
  const call = (build: Builders[string], ...args: unknown[]) =>
    (build as (...a: unknown[]) => NewEvent)(...args);

  const user = { id: id(), username: 'ada', email: 'ada@example.com', version: 2 };
  const item = { id: id(), name: 'Lamp', price: '12.50', ownerId: id(), version: 3 };
  const lines = [{ itemId: id(), quantity: 2, unitPrice: '12.50' }];
  const order = {
    id: id(),
    userId: id(),
    lines,
    total: '25.00',
    version: 2,
    rejectReason: 'OUT_OF_STOCK',
    cancelReason: 'changed my mind',
  };
  const quantities = [{ itemId: id(), quantity: 2 }];
  const levels = { itemId: id(), available: 3, version: 7 };
  const oneEach = (service: EventSource, set: Builders, ...args: unknown[]) =>
    Object.values(set).map((build) => ({ service, event: call(build, ...args) }));
  // Inventory's builders each take their own arguments.
  return [
    ...oneEach('users', users, user),
    ...oneEach('items', items, item),
    ...oneEach('orders', orders, order, correlationId),
    { service: 'inventory', event: call(inventory.reserved, order.id, quantities, correlationId) },
    { service: 'inventory', event: call(inventory.rejected, order.id, 'OUT_OF_STOCK', id(), correlationId) },
    { service: 'inventory', event: call(inventory.released, order.id, quantities, correlationId) },
    { service: 'inventory', event: call(inventory.lowStock, levels, 5, correlationId) },
    {
      service: 'users',
      event: call(announcements.published, { id: id(), message: 'Back at 22:00', publishedAt: new Date() }),
    },
  ];
}
