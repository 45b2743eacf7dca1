import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ImageContentType } from './image-type.model';

export interface ItemImage {
  itemId: string;
  contentType: ImageContentType;
  /** Hex SHA-256 of the bytes: the strong ETag. */
  sha256: string;
  data: Buffer;
}

/** An image as read for a download; `data` is null when the client holds it already. */
export type StoredImage = Omit<ItemImage, 'itemId' | 'data'> & { data: Buffer | null };

/**
 * `items.item_images`, in plain SQL: the two statements it needs (an upsert,
 * and a read that leaves the blob out when the client's copy is current) say
 * more as SQL than as ORM calls.
 */
@Injectable()
export class ItemImagesRepository {
  constructor(private readonly db: DataSource) {}

  async save(tx: EntityManager, image: ItemImage): Promise<void> {
    await tx.query(
      `INSERT INTO items.item_images (item_id, content_type, sha256, size, data)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (item_id) DO UPDATE
         SET content_type = EXCLUDED.content_type, sha256 = EXCLUDED.sha256,
             size = EXCLUDED.size, data = EXCLUDED.data, updated_at = now()`,
      [image.itemId, image.contentType, image.sha256, image.data.length, image.data],
    );
  }

  /** The item's image; its bytes stay in Postgres when `heldTags` holds its digest or `*`. */
  async find(itemId: string, heldTags: string[]): Promise<StoredImage | null> {
    const rows: StoredImage[] = await this.db.query(
      `SELECT content_type AS "contentType", sha256,
              CASE WHEN $2::text[] && ARRAY[sha256::text, '*'] THEN NULL ELSE data END AS data
       FROM items.item_images WHERE item_id = $1`,
      [itemId, heldTags],
    );
    return rows[0] ?? null;
  }
}
