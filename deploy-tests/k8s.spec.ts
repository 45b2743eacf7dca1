import { spawnSync } from 'node:child_process';
import {
  canRender,
  type Container,
  find,
  type K8sObject,
  ofKind,
  renderK8s,
  selects,
  templateOf,
  workloads,
} from './support/k8s';
import { PROCESSES } from './support/processes';
import { fromRoot, itWhen } from './support/repo';

const withKubectl = itWhen(canRender, 'kubectl is not installed');
const objects = (): K8sObject[] => renderK8s();
const appWorkload = (name: string) => find(objects(), 'Deployment', name);
const containersOf = (workload: K8sObject): Container[] => [
  ...(templateOf(workload).spec?.initContainers ?? []),
  ...(templateOf(workload).spec?.containers ?? []),
];

describe('kubectl kustomize k8s', () => {
  withKubectl('renders every object into namespace shop', () => {
    const namespaced = objects().filter((object) => object.kind !== 'Namespace');
    expect(namespaced.filter((object) => object.metadata.namespace !== 'shop')).toEqual([]);
    expect(find(objects(), 'Namespace', 'shop')).toBeDefined();
  });

  withKubectl('renders objects that validate against the Kubernetes API schemas (kubernetes-models)', () => {
    const rendered = objects()
      .map((object) => JSON.stringify(object))
      .join('\n---\n');
    const result = spawnSync(process.execPath, [fromRoot('deploy-tests/support/validate-k8s.mjs')], {
      input: rendered,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  withKubectl('has no dangling reference to a ConfigMap, Secret or ServiceAccount', () => {
    const missing: string[] = [];
    const need = (kind: string, name: string | undefined, from: string) => {
      if (!objects().some((object) => object.kind === kind && object.metadata.name === name))
        missing.push(`${from} → ${kind} ${name}`);
    };
    for (const workload of workloads(objects())) {
      const spec = templateOf(workload).spec!;
      const from = `${workload.kind}/${workload.metadata.name}`;
      if (spec.serviceAccountName) need('ServiceAccount', spec.serviceAccountName, from);
      for (const volume of spec.volumes ?? []) {
        if (volume.configMap) need('ConfigMap', volume.configMap.name, from);
        if (volume.secret) need('Secret', volume.secret.secretName, from);
      }
      for (const container of containersOf(workload)) {
        for (const source of container.envFrom ?? []) {
          if (source.configMapRef) need('ConfigMap', source.configMapRef.name, from);
          if (source.secretRef) need('Secret', source.secretRef.name, from);
        }
        for (const variable of container.env ?? []) {
          if (variable.valueFrom?.secretKeyRef) need('Secret', variable.valueFrom.secretKeyRef.name, from);
          if (variable.valueFrom?.configMapKeyRef)
            need('ConfigMap', variable.valueFrom.configMapKeyRef.name, from);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  withKubectl('routes every Service to the named port of the pods it selects', () => {
    for (const service of ofKind(objects(), 'Service')) {
      const spec = service.spec as {
        selector: Record<string, string>;
        ports: { targetPort: string | number }[];
      };
      const pods = workloads(objects()).filter((workload) =>
        selects({ matchLabels: spec.selector }, templateOf(workload).metadata?.labels ?? {}),
      );
      expect({ service: service.metadata.name, pods: pods.length }).toEqual({
        service: service.metadata.name,
        pods: 1,
      });
      const ports = containersOf(pods[0]).flatMap((container) => container.ports ?? []);
      for (const { targetPort } of spec.ports)
        expect(ports.some((port) => port.name === targetPort || port.containerPort === targetPort)).toBe(
          true,
        );
    }
  });

  withKubectl('selects existing pods with every selector of a workload, budget and network policy', () => {
    const podLabels = workloads(objects()).map((workload) => templateOf(workload).metadata?.labels ?? {});
    for (const workload of workloads(objects())) {
      const selector = workload.spec?.selector as { matchLabels: Record<string, string> };
      expect(selects(selector, templateOf(workload).metadata?.labels ?? {})).toBe(true);
    }
    const selectors = [
      ...ofKind(objects(), 'PodDisruptionBudget').map((pdb) => pdb.spec?.selector),
      ...ofKind(objects(), 'NetworkPolicy')
        .map((policy) => policy.spec?.podSelector as { matchLabels?: object })
        .filter((selector) => Object.keys(selector.matchLabels ?? {}).length > 0),
    ] as { matchLabels: Record<string, string> }[];
    for (const selector of selectors)
      expect(podLabels.some((labels) => selects(selector, labels))).toBe(true);
  });

  withKubectl('exposes only the gateway’s public port through the Ingress', () => {
    const [ingress, ...others] = ofKind(objects(), 'Ingress');
    expect(others).toEqual([]);
    const backends = JSON.stringify(ingress.spec).match(/"service":\{[^}]*\{[^}]*\}\}/g);
    expect(backends).toEqual(['"service":{"name":"gateway","port":{"name":"http"}}']);
    const gatewayService = find(objects(), 'Service', 'gateway').spec as {
      ports: { name: string; port: number }[];
    };
    expect(gatewayService.ports).toEqual([expect.objectContaining({ name: 'http', port: 8080 })]);
  });
});

describe.each(PROCESSES)('the $name Deployment', (proc) => {
  withKubectl('runs its image with a non-root, read-only, unprivileged security context', () => {
    const spec = templateOf(appWorkload(proc.name)).spec!;
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
    for (const container of containersOf(appWorkload(proc.name))) {
      expect(container.image).toBe(`shop/${proc.name}:dev`);
      expect(container.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(container.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources?.limits?.memory).toEqual(expect.any(String));
    }
    expect(spec.volumes).toContainEqual({ name: 'tmp', emptyDir: expect.any(Object) });
  });

  // The services' Deployments come from one component (k8s/components/service) whose
  // placeholders each service's folder fills in: none may be left over.
  withKubectl('carries its own name in its labels, selectors and container', () => {
    const deployment = appWorkload(proc.name);
    const spec = templateOf(deployment).spec!;
    const names = [
      deployment.metadata.labels?.['app.kubernetes.io/name'],
      (deployment.spec?.selector as { matchLabels: Record<string, string> }).matchLabels[
        'app.kubernetes.io/name'
      ],
      templateOf(deployment).metadata?.labels?.['app.kubernetes.io/name'],
      ...(spec.topologySpreadConstraints ?? []).map(
        (constraint) => constraint.labelSelector?.matchLabels?.['app.kubernetes.io/name'],
      ),
      spec.containers[0].name,
    ];
    expect(names).toEqual(names.map(() => proc.name));
    expect(spec.topologySpreadConstraints).toHaveLength(1);
  });

  withKubectl(
    'has startup, liveness (/health/live) and readiness (/health/ready) probes on its probe port',
    () => {
      const [container] = templateOf(appWorkload(proc.name)).spec!.containers;
      const portName = container.ports?.find((port) => port.containerPort === proc.metricsPort)?.name;
      expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port: portName });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: portName });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: portName });
    },
  );

  withKubectl('runs at least two replicas, kept through voluntary disruptions', () => {
    const deployment = appWorkload(proc.name);
    const hpa = ofKind(objects(), 'HorizontalPodAutoscaler').find(
      (candidate) => (candidate.spec?.scaleTargetRef as { name: string }).name === proc.name,
    );
    // With an autoscaler the Deployment names no count, or every apply would reset it.
    if (hpa) {
      expect(deployment.spec).not.toHaveProperty('replicas');
      expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    } else expect(deployment.spec?.replicas).toBeGreaterThanOrEqual(2);
    const pdb = find(objects(), 'PodDisruptionBudget', proc.name);
    expect(pdb.spec?.minAvailable).toBe(1);
  });

  withKubectl('is scraped by Prometheus on its metrics port', () => {
    expect(templateOf(appWorkload(proc.name)).metadata?.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(proc.metricsPort),
      'prometheus.io/path': '/metrics',
    });
  });

  if (proc.schema)
    withKubectl('migrates its schema in an init container of the same image, as the superuser', () => {
      const [migrate, ...others] = templateOf(appWorkload(proc.name)).spec!.initContainers ?? [];
      expect(others).toEqual([]);
      expect(migrate.image).toBe(`shop/${proc.name}:dev`);
      expect(migrate.command?.join(' ')).toContain('node dist/migrate.js');
      expect(migrate.env?.map((variable) => variable.name)).toEqual(['DATABASE_ADMIN_URL']);
    });
});

describe('every pod in namespace shop', () => {
  // The namespace enforces Pod Security "restricted": a pod that breaks it is refused.
  withKubectl('meets the Pod Security restricted profile', () => {
    const allowedVolumes = [
      'configMap',
      'secret',
      'emptyDir',
      'persistentVolumeClaim',
      'projected',
      'downwardAPI',
    ];
    const failures: string[] = [];
    for (const workload of workloads(objects())) {
      const spec = templateOf(workload).spec!;
      const name = `${workload.kind}/${workload.metadata.name}`;
      if (spec.hostNetwork || spec.hostPID || spec.hostIPC) failures.push(`${name}: host namespaces`);
      for (const volume of spec.volumes ?? [])
        if (!Object.keys(volume).every((key) => key === 'name' || allowedVolumes.includes(key)))
          failures.push(`${name}: volume ${volume.name}`);
      for (const container of containersOf(workload)) {
        const context = container.securityContext ?? {};
        const where = `${name} ${container.name}`;
        if (!(context.runAsNonRoot ?? spec.securityContext?.runAsNonRoot))
          failures.push(`${where}: runAsNonRoot`);
        if (context.allowPrivilegeEscalation !== false) failures.push(`${where}: allowPrivilegeEscalation`);
        if (context.privileged) failures.push(`${where}: privileged`);
        if (!context.capabilities?.drop?.includes('ALL')) failures.push(`${where}: capabilities.drop ALL`);
        if ((context.capabilities?.add ?? []).some((capability) => capability !== 'NET_BIND_SERVICE'))
          failures.push(`${where}: capabilities.add`);
        const seccomp = context.seccompProfile?.type ?? spec.securityContext?.seccompProfile?.type;
        if (!['RuntimeDefault', 'Localhost'].includes(seccomp ?? '')) failures.push(`${where}: seccomp`);
        if ((container.ports ?? []).some((port) => port.hostPort)) failures.push(`${where}: hostPort`);
        if (!container.resources?.limits?.memory) failures.push(`${where}: memory limit`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('the infrastructure in k8s', () => {
  withKubectl('keeps Postgres and RabbitMQ in StatefulSets with volumes and headless Services', () => {
    for (const name of ['postgres', 'rabbitmq']) {
      const statefulSet = find(objects(), 'StatefulSet', name);
      expect(statefulSet.spec?.serviceName).toBe(name);
      const claims = statefulSet.spec?.volumeClaimTemplates as { metadata: { name: string } }[];
      expect(claims.map((claim) => claim.metadata.name)).toEqual(['data']);
      expect(find(objects(), 'Service', name).spec?.clusterIP).toBe('None');
    }
    expect(find(objects(), 'Deployment', 'redis')).toBeDefined();
  });
});
