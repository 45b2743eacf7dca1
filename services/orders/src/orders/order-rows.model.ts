import { Order } from './order.entity';
import { OrderLine } from './order-line.entity';
import type { OrderStatus } from './order-status.model';

// The orders tables as plain SQL returns them, and the entities they become.

export const ORDER_COLUMNS =
  'id, user_id, status, total, reject_reason, cancel_reason, version, created_at, updated_at';
export const LINE_COLUMNS = 'line_no, item_id, quantity, unit_price';

export interface OrderRow {
  id: string;
  user_id: string;
  status: OrderStatus;
  total: string;
  reject_reason: string | null;
  cancel_reason: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface LineRow {
  line_no: number;
  item_id: string;
  quantity: number;
  unit_price: string;
}

export function toOrder(row: OrderRow, lines: (LineRow | OrderLine)[]): Order {
  return Object.assign(new Order(), {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    total: row.total,
    rejectReason: row.reject_reason,
    cancelReason: row.cancel_reason,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lines: lines.map((line) => (line instanceof OrderLine ? line : toLine(row.id, line))),
  });
}

/**
 * Orders from the rows of an order⋈lines join, one row per line, each order's
 * rows together: in the order the rows came, each with its lines.
 */
export function toOrders(rows: (OrderRow & LineRow)[]): Order[] {
  const byId = new Map<string, (OrderRow & LineRow)[]>();
  for (const row of rows) {
    const lines = byId.get(row.id);
    if (lines) lines.push(row);
    else byId.set(row.id, [row]);
  }
  return [...byId.values()].map((lines) => toOrder(lines[0], lines));
}

function toLine(orderId: string, line: LineRow): OrderLine {
  return Object.assign(new OrderLine(), {
    orderId,
    lineNo: line.line_no,
    itemId: line.item_id,
    quantity: line.quantity,
    unitPrice: line.unit_price,
  });
}
