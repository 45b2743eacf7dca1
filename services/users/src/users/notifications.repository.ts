import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Notifications recorded for a user; the welcome one is written by a background task after registration. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly db: DataSource) {}

  async record(userId: string, kind: 'welcome'): Promise<void> {
    await this.db.query(`INSERT INTO users.notifications (user_id, kind) VALUES ($1, $2)`, [userId, kind]);
  }
}
