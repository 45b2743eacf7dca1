import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { execute } from '../database/sql.service';

export interface AdjustmentRecord {
  itemId: string;
  delta: number;
  reason: string;
  adjustedBy: string;
  availableAfter: number;
}

/** The audit trail: who changed an item's stock by how much, why and when. */
@Injectable()
export class AdjustmentsRepository {
  async record(tx: EntityManager, adjustment: AdjustmentRecord): Promise<void> {
    await execute(
      tx,
      `INSERT INTO inventory.adjustments (item_id, delta, reason, adjusted_by, available_after)
       VALUES ($1, $2, $3, $4, $5)`,
      [
        adjustment.itemId,
        adjustment.delta,
        adjustment.reason,
        adjustment.adjustedBy,
        adjustment.availableAfter,
      ],
    );
  }
}
