import { fileTypeFromBuffer } from 'file-type';

/** The types of image the service stores and serves. */
export const IMAGE_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageContentType = (typeof IMAGE_CONTENT_TYPES)[number];

/** An image we accept: its bytes and the type they show. */
export interface ImageUpload {
  bytes: Buffer;
  contentType: ImageContentType;
}

// Keyed by what file-type detects. An APNG is a PNG that every decoder can show.
const ACCEPTED = new Map<string, ImageContentType>([
  ['image/png', 'image/png'],
  ['image/apng', 'image/png'],
  ['image/jpeg', 'image/jpeg'],
  ['image/webp', 'image/webp'],
  ['image/gif', 'image/gif'],
]);

/** The type of an accepted image, as its bytes show it; undefined for anything else. */
export async function detectImageType(bytes: Uint8Array): Promise<ImageContentType | undefined> {
  const detected = await fileTypeFromBuffer(bytes);
  return detected && ACCEPTED.get(detected.mime);
}
