export {
  createShopClient,
  logIn,
  type Credentials,
  type ShopClient,
  type ShopClientOptions,
  type TokenResponse,
} from './shop.client';
// Every type of each service's document: `OrdersApi.components['schemas']['OrderResponse']`.
export type * as InventoryApi from './generated/inventory';
export type * as ItemsApi from './generated/items';
export type * as OrdersApi from './generated/orders';
export type * as UsersApi from './generated/users';
