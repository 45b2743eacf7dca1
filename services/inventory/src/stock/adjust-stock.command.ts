/** A person's change to an item's stock: a count, a write-off, a delivery. */
export interface AdjustStockCommand {
  itemId: string;
  delta: number;
  reason: string;
  /** The user making it, kept in the audit trail. */
  adjustedBy: string;
  /** The request id, carried as the correlation id of any event the adjustment causes. */
  requestId: string;
}
