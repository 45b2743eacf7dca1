import { Controller, Get, Headers, HttpCode, Put, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-fastify/multipart';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Scopes, UuidParam } from '@shop/shared';
import type { FastifyReply } from 'fastify';
import { entityTagOf, entityTagsIn } from './entity-tags.model';
import { ImageFilePipe } from './image-file.pipe';
import type { ImageUpload } from './image-type.model';
import { ItemImagesService } from './item-images.service';

const MAX_IMAGE_BYTES = 1024 * 1024;

// A bigger file is a 413; any other part (a second file, a text field) a 400.
const UPLOAD_LIMITS = { limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 0, parts: 1 } };

// private: the image is only served with a token, so no shared cache may keep
// it for others. no-cache: the URL stays while the image can be replaced, so
// a client revalidates each time, which the ETag turns into a cheap 304.
const CACHE_CONTROL = 'private, no-cache';

@ApiTags('items')
@ApiBearerAuth()
@Controller('api/v1/items/:id/image')
export class ItemImagesController {
  constructor(private readonly images: ItemImagesService) {}

  @Put()
  @Scopes('items:write')
  @HttpCode(204)
  @UseInterceptors(FileInterceptor('file', UPLOAD_LIMITS))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiNoContentResponse({
    description: `Stored. PNG, JPEG, WebP or GIF by content, at most ${MAX_IMAGE_BYTES} bytes.`,
  })
  async upload(@UuidParam() id: string, @UploadedFile(ImageFilePipe) image: ImageUpload): Promise<void> {
    await this.images.replace(id, image);
  }

  @Get()
  @Scopes('items:read')
  @ApiOkResponse({
    description:
      'The image, with its detected content type and a strong ETag; 304 for a matching If-None-Match.',
  })
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
