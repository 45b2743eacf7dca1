import { type K8sObject, ofKind, selects, templateOf, workloads } from './k8s';

type Selector = Parameters<typeof selects>[0];

/** A pod as NetworkPolicies see it. `namespace` and `labels` are all a peer rule can match on. */
export interface Pod {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  ports: { name?: string; containerPort: number; protocol?: string }[];
}

interface Peer {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: unknown;
}

interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { port?: number | string; endPort?: number; protocol?: string }[];
}

interface PolicySpec {
  podSelector: Selector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
}

export type Direction = 'Ingress' | 'Egress';

/** The pods the workloads of a rendered set of objects run (one per workload is enough). */
export const podsOf = (objects: K8sObject[]): Pod[] =>
  workloads(objects).map((workload) => ({
    name: workload.metadata.name,
    namespace: workload.metadata.namespace ?? 'default',
    labels: templateOf(workload).metadata?.labels ?? {},
    ports: (templateOf(workload).spec?.containers ?? []).flatMap((container) => container.ports ?? []),
  }));

/**
 * Evaluates NetworkPolicies the way the API defines them: a pod selected by
 * no policy of a direction is open in that direction; once selected, a
 * connection needs a rule of some selecting policy that matches the peer and
 * the port. A connection needs both the source's egress and the
 * destination's ingress. Pods outside the rendered namespaces (the ingress
 * controller, kube-dns) and endpoints that are not pods (the API server) have
 * no policies here.
 */
export class NetworkPolicies {
  private readonly policies: { namespace: string; spec: PolicySpec }[];

  constructor(objects: K8sObject[]) {
    this.policies = ofKind(objects, 'NetworkPolicy').map((policy) => ({
      namespace: policy.metadata.namespace ?? 'default',
      spec: policy.spec as unknown as PolicySpec,
    }));
  }

  /** Whether `source` may open a connection to `port` of `destination` (undefined: not a pod). */
  allows(source: Pod, destination: Pod | undefined, port: number, protocol = 'TCP'): boolean {
    const egress = this.permits('Egress', source, destination, port, protocol, destination);
    const ingress = destination
      ? this.permits('Ingress', destination, source, port, protocol, destination)
      : true;
    return egress && ingress;
  }

  /** Whether some policy selects every pod of `namespace` in `direction` and allows nothing: a default deny. */
  deniesByDefault(namespace: string, direction: Direction): boolean {
    return this.policies.some(
      ({ namespace: policyNamespace, spec }) =>
        policyNamespace === namespace &&
        Object.keys(spec.podSelector?.matchLabels ?? {}).length === 0 &&
        (spec.podSelector?.matchExpressions ?? []).length === 0 &&
        this.typesOf(spec).includes(direction) &&
        this.rulesOf(spec, direction).length === 0,
    );
  }

  private permits(
    direction: Direction,
    subject: Pod,
    peer: Pod | undefined,
    port: number,
    protocol: string,
    portOwner: Pod | undefined,
  ): boolean {
    const selecting = this.policies.filter(
      ({ namespace, spec }) =>
        namespace === subject.namespace &&
        selects(spec.podSelector ?? {}, subject.labels) &&
        this.typesOf(spec).includes(direction),
    );
    if (selecting.length === 0) return true;
    return selecting.some(({ namespace, spec }) =>
      this.rulesOf(spec, direction).some((rule) => {
        const peers = direction === 'Ingress' ? rule.from : rule.to;
        const peerMatches =
          !peers ||
          peers.length === 0 ||
          (peer !== undefined && peers.some((candidate) => this.matches(candidate, peer, namespace)));
        return peerMatches && this.portMatches(rule, port, protocol, portOwner);
      }),
    );
  }

  private typesOf(spec: PolicySpec): Direction[] {
    return spec.policyTypes ?? ['Ingress', ...(spec.egress ? (['Egress'] as const) : [])];
  }

  private rulesOf(spec: PolicySpec, direction: Direction): Rule[] {
    return (direction === 'Ingress' ? spec.ingress : spec.egress) ?? [];
  }

  private matches(peer: Peer, pod: Pod, policyNamespace: string): boolean {
    if (peer.ipBlock) return false; // no pod address is in a CIDR we could know here
    const namespaceLabels = { 'kubernetes.io/metadata.name': pod.namespace };
    const inNamespace = peer.namespaceSelector
      ? selects(peer.namespaceSelector, namespaceLabels)
      : pod.namespace === policyNamespace;
    return inNamespace && (peer.podSelector ? selects(peer.podSelector, pod.labels) : true);
  }

  private portMatches(rule: Rule, port: number, protocol: string, owner: Pod | undefined): boolean {
    if (!rule.ports || rule.ports.length === 0) return true;
    return rule.ports.some((candidate) => {
      if ((candidate.protocol ?? 'TCP') !== protocol) return false;
      if (candidate.port === undefined) return true;
      if (typeof candidate.port === 'string')
        return (
          owner?.ports.some((named) => named.name === candidate.port && named.containerPort === port) ?? false
        );
      return candidate.endPort
        ? port >= candidate.port && port <= candidate.endPort
        : port === candidate.port;
    });
  }
}
