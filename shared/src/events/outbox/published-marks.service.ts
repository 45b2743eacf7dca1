interface Waiting {
  ids: string[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Marks outbox rows published, one UPDATE at a time: ids that arrive while
 * an UPDATE runs go together in the next one. Under load many confirms share
 * one statement (and one WAL flush); alone, a row is marked at once. No
 * timer, so no mark ever waits for anything but the one before it.
 */
export class PublishedMarksService {
  private waiting: Waiting[] = [];
  private flushing?: Promise<void>;

  constructor(private readonly markPublished: (ids: string[]) => Promise<void>) {}

  /** Resolves once `ids` are marked; rejects if their UPDATE failed (the rows stay claimed until the lease ends). */
  mark(ids: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ids, resolve, reject });
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    });
  }

  /** Resolves when every mark asked for so far has been written (or has failed). */
  async settled(): Promise<void> {
    await this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0);
      try {
        await this.markPublished(batch.flatMap(({ ids }) => ids));
        for (const { resolve } of batch) resolve();
      } catch (error) {
        for (const { reject } of batch) reject(error);
      }
    }
  }
}
