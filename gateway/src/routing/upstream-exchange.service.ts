import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { copyServiceHeaders } from './forwarded-headers.model';
import type { UpstreamProxyService } from './upstream-proxy.service';

/** Answers shorter than this are sent as one buffer, uncompressed (the @fastify/compress threshold too). */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * One request to a service and its answer, relayed to the client. A short
 * answer of known length is collected and sent as one buffer (below the
 * compression threshold, and one write is cheaper than piping a stream);
 * anything else is streamed, paused while the client reads slower than the
 * service writes.
 */
export class UpstreamExchangeService implements Dispatcher.DispatchHandler {
  readonly options: Dispatcher.DispatchOptions;
  private controller?: Dispatcher.DispatchController;
  private retried = false;
  private status = 0;
  private headers?: IncomingHttpHeaders;
  private chunks?: Buffer[];
  private stream?: Readable;
  private ended = false;
  /** The client went away: nothing is answered, nothing counted as the service's failure. */
  private abandoned = false;

  constructor(
    private readonly proxy: UpstreamProxyService,
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
    headers: IncomingHttpHeaders,
  ) {
    const bodyless = request.method === 'GET' || request.method === 'HEAD';
    this.options = {
      path: request.url,
      method: request.method as Dispatcher.HttpMethod,
      headers,
      // Bodies are left unparsed (the proxy scope's content type parser hands
      // over the raw stream), except the login form, read as a buffer.
      body: bodyless ? null : ((request.body as Readable | Buffer | undefined) ?? null),
    };
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    // The client left while the service was working: nobody to answer.
    if (this.reply.raw.socket?.destroyed !== false) return this.abandon();
    this.status = statusCode;
    this.headers = headers;
    const length = Number(headers['content-length']);
    if (!this.hasBody(statusCode) || length < COMPRESSION_THRESHOLD_BYTES) {
      this.chunks = [];
      return;
    }
    this.stream = new Readable({
      read: () => controller.resume(),
      destroy: (error, callback) => {
        // The client went away mid-answer: stop reading from the service.
        if (!this.ended) this.abandon();
        callback(error);
      },
    });
    if (this.startReply()) this.reply.send(this.stream);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.stream) {
      if (!this.stream.push(chunk)) controller.pause();
    } else {
      this.chunks?.push(chunk);
    }
  }

  onResponseEnd(): void {
    this.ended = true;
    if (this.stream) {
      this.stream.push(null);
      return;
    }
    if (!this.startReply()) return;
    const chunks = this.chunks ?? [];
    if (!this.hasBody(this.status)) this.reply.send();
    else this.reply.send(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.abandoned) return;
    if (this.stream) {
      // Headers are out: all that is left is to cut the answer short.
      this.proxy.fail(this.request, this.reply, error);
      this.stream.destroy(error);
      return;
    }
    if (this.headers === undefined && this.mayRetry(error)) {
      this.retried = true;
      this.proxy.dispatch(this);
      return;
    }
    this.proxy.fail(this.request, this.reply, error);
  }

  private abandon(): void {
    this.abandoned = true;
    this.controller?.abort(new Error('The client went away'));
  }

  /** Status and headers of the service's answer onto the reply; false if the status is not one Fastify sends. */
  private startReply(): boolean {
    try {
      this.reply.code(this.status);
    } catch (error) {
      this.controller?.abort(error as Error);
      this.proxy.fail(this.request, this.reply, error as Error);
      return false;
    }
    copyServiceHeaders(this.headers!, this.reply);
    // An HTTP/1 connection is reusable only once its request body has been
    // read; a service answering before that point leaves it unusable.
    if (!this.request.raw.complete) this.reply.header('connection', 'close');
    return true;
  }

  private hasBody(status: number): boolean {
    return this.request.method !== 'HEAD' && status !== 204 && status !== 304;
  }

  /**
   * One retry, for a GET or HEAD without a body, when the kept-alive socket
   * it was written to turned out closed: the service never saw the request.
   */
  private mayRetry(error: Error): boolean {
    const { method, headers } = this.request;
    return (
      !this.retried &&
      (method === 'GET' || method === 'HEAD') &&
      headers['content-length'] === undefined &&
      (error as { code?: string }).code === 'UND_ERR_SOCKET'
    );
  }
}
