import { ADMIN_SCOPES, Customer, OrdersApp, PlacedOrder } from './support/orders-app.fixture';

describe('listing orders page by page', () => {
  let orders: OrdersApp;
  let alice: Customer;
  let bob: Customer;
  /** Every order this file places, oldest first. */
  const placed: PlacedOrder[] = [];

  beforeAll(async () => {
    // An app of its own: the admin's list then holds exactly the orders placed here.
    orders = await OrdersApp.start();
    [alice, bob] = [await orders.customer(), await orders.customer()];
    // One to three lines each, so a page of rows and a page of orders differ.
    for (let n = 0; n < 10; n++) {
      const lines = Array.from({ length: (n % 3) + 1 }, (_, line) => ({
        itemId: orders.items.item(`${line + 1}.00`),
        quantity: line + 1,
      }));
      const res = await orders.place((n % 4 === 3 ? bob : alice).token, { lines });
      expect(res.statusCode).toBe(201);
      placed.push(res.json());
    }
  });
  afterAll(() => orders.close());

  /** Pages through the list, `limit` at a time, until an empty page. */
  async function everyPage(who: Customer, limit: number): Promise<PlacedOrder[][]> {
    const pages: PlacedOrder[][] = [];
    for (let skip = 0; ; skip += limit) {
      const res = await orders.call('GET', `/api/v1/orders?skip=${skip}&limit=${limit}`, who.token);
      expect(res.statusCode).toBe(200);
      const page: PlacedOrder[] = res.json();
      if (page.length === 0) return pages;
      pages.push(page);
    }
  }
  const newestFirst = (list: PlacedOrder[]) => [...list].reverse();
  const ids = (list: PlacedOrder[]) => list.map((order) => order.id);

  it('counts skip and limit in orders, and shows each of a customer’s orders once, with all its lines', async () => {
    const alices = newestFirst(placed.filter((order) => order.userId === alice.id));
    const pages = await everyPage(alice, 3);
    // Full pages of three orders (six or more lines each), then what is left.
    expect(pages.map((page) => page.length)).toEqual([3, 3, 2]);
    expect(ids(pages.flat())).toEqual(ids(alices));
    expect(pages.flat()).toEqual(alices);
  });

  it('pages over everyone’s orders for orders:all the same way', async () => {
    const admin = await orders.customer(ADMIN_SCOPES);
    const pages = await everyPage(admin, 4);
    expect(pages.map((page) => page.length)).toEqual([4, 4, 2]);
    expect(ids(pages.flat())).toEqual(ids(newestFirst(placed)));
    expect(await orders.countOrders()).toBe(placed.length);
  });

  it('gives a whole first page by default', async () => {
    const res = await orders.call('GET', '/api/v1/orders', alice.token);
    expect(ids(res.json())).toEqual(ids(newestFirst(placed.filter((order) => order.userId === alice.id))));
  });
});
