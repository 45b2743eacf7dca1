import { parse } from 'yaml';
import {
  canRender,
  containerEnv,
  find,
  type K8sObject,
  renderK8s,
  templateOf,
  workloads,
} from './support/k8s';
import { NetworkPolicies, type Pod, podsOf } from './support/network-policy';
import { AHEAD_OF_CODE, endpointOf, PROCESSES, URL_VARIABLES, usedVariables } from './support/processes';
import { itWhen, readText } from './support/repo';

/** A connection some component needs: who, to what, and why (for the report). */
interface Flow {
  from: Pod;
  to: Pod | undefined;
  port: number;
  protocol?: string;
  why: string;
}

const INGRESS_CONTROLLER: Pod = {
  name: 'ingress-nginx-controller',
  namespace: 'ingress-nginx',
  labels: { 'app.kubernetes.io/name': 'ingress-nginx' },
  ports: [],
};
const KUBE_DNS: Pod = {
  name: 'coredns',
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [],
};

const withKubectl = itWhen(canRender, 'kubectl is not installed');

/** The pod behind a Service URL's host and port, and the container port the connection reaches. */
function resolve(objects: K8sObject[], pods: Pod[], host: string, port: number): { pod: Pod; port: number } {
  const service = find(objects, 'Service', host).spec as {
    selector: Record<string, string>;
    ports: { port: number; targetPort: number | string }[];
  };
  const pod = pods.find((candidate) =>
    Object.entries(service.selector).every(([key, value]) => candidate.labels[key] === value),
  );
  const servicePort = service.ports.find((candidate) => candidate.port === port);
  if (!pod || !servicePort) throw new Error(`Service ${host} has no pod or no port ${port}`);
  const target = pod.ports.find(
    (candidate) =>
      candidate.name === servicePort.targetPort || candidate.containerPort === servicePort.targetPort,
  );
  return { pod, port: target!.containerPort };
}

/**
 * Every connection the system needs, derived from the code and the config
 * rather than written down again: the URL variables each process's code reads
 * (plus those set ahead of the code), resolved through the k8s env and
 * Services; the migrations' admin URL; Prometheus's scrape annotations;
 * Grafana's data source; the Ingress backend; DNS; the API server.
 */
function neededFlows(objects: K8sObject[]): Flow[] {
  const pods = podsOf(objects);
  const pod = (name: string) => pods.find((candidate) => candidate.name === name)!;
  const flows: Flow[] = [];
  const toUrl = (from: Pod, url: string, why: string) => {
    const { host, port } = endpointOf(url);
    const target = resolve(objects, pods, host, port);
    flows.push({ from, to: target.pod, port: target.port, why });
  };

  for (const proc of PROCESSES) {
    const deployment = find(objects, 'Deployment', proc.name);
    const env = containerEnv(templateOf(deployment).spec!.containers[0], objects);
    const used = usedVariables(proc);
    const ahead = (AHEAD_OF_CODE[proc.name] ?? []).filter((name) => !used.includes(name));
    for (const variable of used.filter((name) => URL_VARIABLES.includes(name)))
      toUrl(pod(proc.name), env[variable], `${proc.name} reads ${variable}`);
    for (const variable of ahead)
      toUrl(pod(proc.name), env[variable], `${proc.name} is given ${variable} ahead of its code`);
    for (const init of templateOf(deployment).spec!.initContainers ?? [])
      toUrl(
        pod(proc.name),
        containerEnv(init, objects).DATABASE_ADMIN_URL,
        `${proc.name} migrates its schema`,
      );
  }

  for (const workload of workloads(objects)) {
    const annotations = templateOf(workload).metadata?.annotations ?? {};
    if (annotations['prometheus.io/scrape'] === 'true')
      flows.push({
        from: pod('prometheus'),
        to: pod(workload.metadata.name),
        port: Number(annotations['prometheus.io/port']),
        why: `Prometheus scrapes ${workload.metadata.name}`,
      });
  }

  const datasources = parse(readText('monitoring/grafana/provisioning/datasources/prometheus.yml')) as {
    datasources: { url: string }[];
  };
  for (const { url } of datasources.datasources)
    toUrl(pod('grafana'), url, 'Grafana queries its data source');

  const ingress = find(objects, 'Ingress', 'gateway').spec as {
    rules: { http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[];
  };
  for (const { backend } of ingress.rules.flatMap((rule) => rule.http.paths)) {
    const service = find(objects, 'Service', backend.service.name).spec as {
      ports: { name: string; port: number }[];
    };
    const port = service.ports.find((candidate) => candidate.name === backend.service.port.name)!.port;
    const target = resolve(objects, pods, backend.service.name, port);
    flows.push({
      from: INGRESS_CONTROLLER,
      to: target.pod,
      port: target.port,
      why: 'the Ingress routes to the gateway',
    });
  }

  for (const from of pods)
    for (const protocol of ['UDP', 'TCP'])
      flows.push({ from, to: KUBE_DNS, port: 53, protocol, why: `${from.name} resolves names` });
  flows.push({
    from: pod('prometheus'),
    to: undefined,
    port: 443,
    why: 'Prometheus lists pods from the API server',
  });
  return flows;
}

const describeFlow = (flow: Flow) =>
  `${flow.from.name} → ${flow.to?.name ?? 'the API server'}:${flow.port}${flow.protocol === 'UDP' ? '/udp' : ''} (${flow.why})`;

describe('the NetworkPolicies of k8s', () => {
  withKubectl('deny all ingress and egress in namespace shop by default', () => {
    const policies = new NetworkPolicies(renderK8s());
    expect(policies.deniesByDefault('shop', 'Ingress')).toBe(true);
    expect(policies.deniesByDefault('shop', 'Egress')).toBe(true);
  });

  withKubectl('allow every connection the code and the config need', () => {
    const objects = renderK8s();
    const policies = new NetworkPolicies(objects);
    const refused = neededFlows(objects)
      .filter((flow) => !policies.allows(flow.from, flow.to, flow.port, flow.protocol))
      .map(describeFlow);
    expect(refused).toEqual([]);
    if (process.env.SHOW_FLOWS) console.log(neededFlows(objects).map(describeFlow).join('\n'));
  });

  withKubectl('allow no other connection between the pods of the system', () => {
    const objects = renderK8s();
    const policies = new NetworkPolicies(objects);
    const pods = [...podsOf(objects), INGRESS_CONTROLLER];
    const needed = new Set(
      neededFlows(objects).map((flow) => `${flow.from.name} → ${flow.to?.name}:${flow.port}`),
    );
    const extra: string[] = [];
    for (const from of pods)
      for (const to of podsOf(objects))
        for (const { containerPort } of to.ports) {
          const key = `${from.name} → ${to.name}:${containerPort}`;
          if (from !== to && policies.allows(from, to, containerPort) && !needed.has(key)) extra.push(key);
        }
    expect(extra).toEqual([]);
  });

  withKubectl('let the public in through the ingress controller only, and never to the admin port', () => {
    const objects = renderK8s();
    const policies = new NetworkPolicies(objects);
    const gateway = podsOf(objects).find((pod) => pod.name === 'gateway')!;
    expect(policies.allows(INGRESS_CONTROLLER, gateway, 8080)).toBe(true);
    expect(policies.allows(INGRESS_CONTROLLER, gateway, 8081)).toBe(false);
    const stranger: Pod = { name: 'stranger', namespace: 'default', labels: {}, ports: [] };
    for (const pod of podsOf(objects))
      for (const { containerPort } of pod.ports)
        expect(policies.allows(stranger, pod, containerPort)).toBe(false);
  });
});
