/** A person's change to an item's stock: a count, a write-off, a delivery. */
export class AdjustStockCommand {
  constructor(
    readonly itemId: string,
    readonly delta: number,
    readonly reason: string,
    /** The user making it, kept in the audit trail. */
    readonly adjustedBy: string,
    /** The request id, carried into any event the adjustment causes. */
    readonly correlationId: string,
  ) {}
}
