import { Injectable } from '@nestjs/common';

/**
 * The time an announcement is published at. A provider of its own so that a
 * test can fix it (`overrideProvider(ClockService)`) and assert the exact
 * `publishedAt`, the one stand-in the tests' rule of real parts allows.
 */
@Injectable()
export class ClockService {
  now(): Date {
    return new Date();
  }
}
