/** An item's stock as the API shows it, with the version that events carry. */
export interface StockLevels {
  itemId: string;
  available: number;
  reserved: number;
  version: number;
}

/** The most units an item may hold, available and reserved together (the table's CHECK). */
export const MAX_STOCK_UNITS = 1_000_000_000;
