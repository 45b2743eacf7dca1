import { Injectable, PipeTransform, UnsupportedMediaTypeException } from '@nestjs/common';
import type { UploadedMultipartFile } from '@nestjs/platform-fastify/multipart';
import { RequestValidationError } from '@shop/shared';
import { detectImageType, ImageUpload } from './image-type.model';

/**
 * Turns the uploaded file into an `ImageUpload`, judged by its bytes. The content
 * type the client declared is ignored: it is whatever the client says, and
 * the type we store is the one we later serve to other people's browsers.
 */
@Injectable()
export class ImageFilePipe implements PipeTransform<UploadedMultipartFile | undefined, Promise<ImageUpload>> {
  async transform(file: UploadedMultipartFile | undefined): Promise<ImageUpload> {
    if (!file?.buffer?.length) {
      throw new RequestValidationError([
        {
          field: 'file',
          message: 'file is required: send the image as the multipart/form-data field "file"',
        },
      ]);
    }
    const contentType = await detectImageType(file.buffer);
    // RFC 9110 §15.5.16: 415 also covers a format found by inspecting the content.
    if (!contentType) throw new UnsupportedMediaTypeException('file must be a PNG, JPEG, WebP or GIF image');
    return { bytes: file.buffer, contentType };
  }
}
