// The documents the gateway serves, made without a running system: each service's document
// (from its built dist/, as scripts/openapi/export.mjs makes it) with the edge's additions,
// and the gateway's own, through the same functions the gateway's /docs/openapi/* routes use.
import { documentOf, SERVICES } from '../../scripts/openapi/documents.mjs';

const dist = (path) => new URL(`../../gateway/dist/${path}`, import.meta.url).href;

/** Where the local system's gateway answers (`npm start`); the served documents name it. */
export const GATEWAY_URL = 'http://localhost:8080';

/** `{ name: document }` for every service, then `gateway`, in the order /docs lists them. */
export async function servedDocuments(gatewayUrl = GATEWAY_URL) {
  const { edgeDocument } = await import(dist('docs/edge-document.factory.js'));
  const { gatewayDocument } = await import(dist('docs/gateway-document.factory.js'));
  const { ROUTE_TABLE } = await import(dist('routing/route-table.config.js'));
  const served = {};
  for (const service of SERVICES) {
    served[service] = edgeDocument(await documentOf(service), { gatewayUrl, routes: ROUTE_TABLE });
  }
  served.gateway = gatewayDocument(await documentOf(SERVICES[0]), gatewayUrl);
  return served;
}
