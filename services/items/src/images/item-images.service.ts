import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ItemCacheStore } from '../items/cache/item-cache.store';
import { itemNotFound } from '../items/items.errors';
import { ItemsRepository } from '../items/items.repository';
import type { ImageUpload } from './image-type.model';
import { imageNotFound } from './item-images.errors';
import { ItemImagesRepository, StoredImage } from './item-images.repository';

@Injectable()
export class ItemImagesService {
  constructor(
    private readonly db: DataSource,
    private readonly items: ItemsRepository,
    private readonly images: ItemImagesRepository,
    private readonly cache: ItemCacheStore,
  ) {}

  /** Sets or replaces the item's image: a change to the item, so its version moves on. */
  async replace(itemId: string, image: ImageUpload): Promise<void> {
    const sha256 = createHash('sha256').update(image.bytes).digest('hex');
    const version = await this.db.transaction(async (tx) => {
      // The UPDATE also locks the item, so it cannot be deleted under its new image.
      const version = await this.items.touch(tx, itemId);
      if (version === null) throw itemNotFound();
      await this.images.save(tx, { itemId, contentType: image.contentType, sha256, data: image.bytes });
      return version;
    });
    await this.cache.invalidate(itemId, version);
  }

  /** The item's image, without its bytes when `heldTags` (If-None-Match) shows the client has them. */
  async find(itemId: string, heldTags: string[]): Promise<StoredImage> {
    const image = await this.images.find(itemId, heldTags);
    if (!image) throw (await this.items.exists(itemId)) ? imageNotFound() : itemNotFound();
    return image;
  }
}
