import { Injectable } from '@nestjs/common';
import { UpstreamPoolsService } from '../routing/upstream-pools.service';
import type { OpenApiDocument } from './edge-responses.model';

// Long enough that a page of Swagger UI costs a service one request, short
// enough that a redeployed service shows its new API within a minute.
const FRESH_FOR_MS = 30_000;
const FETCH_TIMEOUT_MS = 3_000;

interface CachedDocument {
  document: OpenApiDocument;
  fetchedAt: number;
}

/**
 * The OpenAPI documents of the services behind the gateway, fetched from
 * their `/openapi.json` when Swagger UI asks and kept briefly. If a service
 * is down its last document is still served; with none yet, it is an error.
 */
@Injectable()
export class OpenApiCatalogService {
  private readonly cached = new Map<string, CachedDocument>();
  private readonly pending = new Map<string, Promise<OpenApiDocument>>();

  constructor(private readonly pools: UpstreamPoolsService) {}

  /** The services that have a document: those the route table forwards to. */
  services(): string[] {
    return this.pools.names();
  }

  async document(service: string): Promise<OpenApiDocument> {
    const cached = this.cached.get(service);
    if (cached && Date.now() - cached.fetchedAt < FRESH_FOR_MS) return cached.document;
    try {
      return await this.refresh(service);
    } catch (error) {
      if (cached) return cached.document;
      throw error;
    }
  }

  // Concurrent page loads share one request to the service.
  private refresh(service: string): Promise<OpenApiDocument> {
    let pending = this.pending.get(service);
    if (!pending) {
      pending = this.fetch(service).finally(() => this.pending.delete(service));
      this.pending.set(service, pending);
    }
    return pending;
  }

  private async fetch(service: string): Promise<OpenApiDocument> {
    const { statusCode, body } = await this.pools.get(service).request({
      method: 'GET',
      path: '/openapi.json',
      headers: { accept: 'application/json' },
      headersTimeout: FETCH_TIMEOUT_MS,
      bodyTimeout: FETCH_TIMEOUT_MS,
    });
    if (statusCode !== 200) {
      await body.dump();
      throw new Error(`${service} answered /openapi.json with ${statusCode}`);
    }
    // Served as it came: docs.routes.ts adds what the edge adds (servers naming the gateway among it).
    const document = (await body.json()) as OpenApiDocument;
    this.cached.set(service, { document, fetchedAt: Date.now() });
    return document;
  }
}
