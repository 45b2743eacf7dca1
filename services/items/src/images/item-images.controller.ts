import { Controller, Get, Headers, HttpCode, Put, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-fastify/multipart';
import {
  ApiBody,
  ApiConsumes,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiProblems, Scopes, UuidParam } from '@shop/shared';
import type { FastifyReply } from 'fastify';
import { ApiItemId } from '../items/item-id.decorator';
import { entityTagOf, entityTagsIn } from './entity-tags.model';
import { ImageFilePipe } from './image-file.pipe';
import { IMAGE_CONTENT_TYPES, type ImageUpload } from './image-type.model';
import { ItemImagesService } from './item-images.service';

const MAX_IMAGE_BYTES = 1024 * 1024;

// A bigger file is a 413; any other part (a second file, a text field) a 400.
const UPLOAD_LIMITS = { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 0, parts: 1 } };

// private: the image is only served with a token, so no shared cache may keep
// it for others. no-cache: the URL stays while the image can be replaced, so
// a client revalidates each time, which the ETag turns into a cheap 304.
const CACHE_CONTROL = 'private, no-cache';

const IMAGE = { type: 'string', format: 'binary', maxLength: MAX_IMAGE_BYTES } as const;
const CACHING_HEADERS = {
  ETag: {
    description: 'Strong tag of the SHA-256 of the bytes; send it back as `If-None-Match`',
    schema: { type: 'string', pattern: '^"[0-9a-f]{64}"$', maxLength: 66 },
  },
  'Cache-Control': { schema: { type: 'string', enum: [CACHE_CONTROL] } },
};

@ApiTags('items')
@ApiItemId()
@Controller('api/v1/items/:id/image')
export class ItemImagesController {
  constructor(private readonly images: ItemImagesService) {}

  @Put()
  @Scopes('items:write')
  @HttpCode(204)
  @UseInterceptors(FileInterceptor('file', UPLOAD_LIMITS))
  @ApiOperation({
    summary: "Set an item's image",
    description:
      'Stores or replaces the image, judged by its bytes: PNG, JPEG, WebP or GIF, at most 1 MiB. ' +
      'The content type the client declares is ignored. Counts as a change to the item.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      additionalProperties: false,
      properties: { file: { ...IMAGE, description: 'The only part of the form' } },
    },
  })
  @ApiNoContentResponse({ description: 'Stored' })
  @ApiProblems(
    [400, 'A malformed id, a body that is not multipart/form-data, no `file` part, or a part beside it.'],
    [404, 'No such item (`ITEM.NOT_FOUND`).'],
    [413, `The file is larger than ${MAX_IMAGE_BYTES} bytes.`],
    [
      415,
      'The file is not a PNG, JPEG, WebP or GIF by its bytes, or the body is of a type the service reads neither as a form nor as JSON.',
    ],
  )
  async upload(@UuidParam() id: string, @UploadedFile(ImageFilePipe) image: ImageUpload): Promise<void> {
    await this.images.replace(id, image);
  }

  @Get()
  @Scopes('items:read')
  @ApiOperation({
    summary: "Get an item's image",
    description:
      'The bytes with the type detected at upload, a strong `ETag` and `Cache-Control: private, no-cache`: ' +
      'a client revalidates with `If-None-Match` and gets a 304 while it holds the current image.',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description:
      "ETags the client holds (or `*`); malformed tags are ignored. Bounded by Node's 16 KiB of headers",
    schema: {
      type: 'string',
      maxLength: 16_384,
      example: '"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"',
    },
  })
  @ApiOkResponse({
    description: 'The image',
    headers: CACHING_HEADERS,
    content: Object.fromEntries(IMAGE_CONTENT_TYPES.map((type) => [type, { schema: IMAGE }])),
  })
  @ApiNotModifiedResponse({
    description: 'The client holds the current image; no body',
    headers: CACHING_HEADERS,
  })
  @ApiProblems([404, 'No such item (`ITEM.NOT_FOUND`), or it has no image (`ITEM.IMAGE_NOT_FOUND`).'])
  async download(
    @UuidParam() id: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | undefined> {
    const image = await this.images.find(id, entityTagsIn(ifNoneMatch));
    reply.header('etag', entityTagOf(image.sha256)).header('cache-control', CACHE_CONTROL);
    if (!image.data) {
      reply.status(304);
      return undefined;
    }
    reply.type(image.contentType);
    return image.data;
  }
}
