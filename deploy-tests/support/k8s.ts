import { execFileSync } from 'node:child_process';
import type { IIoK8sApiCoreV1Container as Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1PodTemplateSpec as PodTemplate } from 'kubernetes-models/v1/PodTemplateSpec';
import { parseAllDocuments } from 'yaml';
import { fromRoot, hasTool } from './repo';

export type { Container, PodTemplate };

/** What every rendered object has; kinds are narrowed where they are used. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

export const canRender = hasTool('kubectl');

let rendered: K8sObject[] | undefined;

/** `kubectl kustomize k8s`, parsed (once per test file). */
export function renderK8s(): K8sObject[] {
  rendered ??= parseAllDocuments(
    execFileSync('kubectl', ['kustomize', fromRoot('k8s')], { encoding: 'utf8', maxBuffer: 32 << 20 }),
  ).map((document) => document.toJSON() as K8sObject);
  return rendered;
}

export const ofKind = (objects: K8sObject[], kind: string): K8sObject[] =>
  objects.filter((object) => object.kind === kind);

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const object = objects.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (!object) throw new Error(`k8s renders no ${kind} named ${name}`);
  return object;
}

/** The pod template of a Deployment or StatefulSet. */
export const templateOf = (workload: K8sObject): PodTemplate => workload.spec?.template as PodTemplate;

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'];

export const workloads = (objects: K8sObject[]): K8sObject[] =>
  objects.filter((object) => WORKLOAD_KINDS.includes(object.kind));

/** A ConfigMap's or Secret's values by key, decoded, as a generated object holds them. */
export function valuesOf(object: K8sObject): Record<string, string> {
  const decode =
    object.kind === 'Secret' ? (value: string) => Buffer.from(value, 'base64').toString() : String;
  return Object.fromEntries(Object.entries(object.data ?? {}).map(([key, value]) => [key, decode(value)]));
}

/**
 * A container's environment as the kubelet builds it: `envFrom` ConfigMaps
 * and Secrets in order, then `env` (values, or the referenced key's value).
 */
export function containerEnv(container: Container, objects: K8sObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef)
      Object.assign(env, valuesOf(find(objects, 'ConfigMap', source.configMapRef.name!)));
    if (source.secretRef) Object.assign(env, valuesOf(find(objects, 'Secret', source.secretRef.name!)));
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (from?.secretKeyRef)
      env[variable.name] = valuesOf(find(objects, 'Secret', from.secretKeyRef.name!))[from.secretKeyRef.key];
    else if (from?.configMapKeyRef)
      env[variable.name] = valuesOf(find(objects, 'ConfigMap', from.configMapKeyRef.name!))[
        from.configMapKeyRef.key
      ];
    else env[variable.name] = variable.value ?? '';
  }
  return env;
}

/** Whether a label selector (matchLabels and matchExpressions) selects these labels. */
export function selects(
  selector:
    | {
        matchLabels?: Record<string, string>;
        matchExpressions?: { key: string; operator: string; values?: string[] }[];
      }
    | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return false;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in labels && values.includes(labels[key]);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown selector operator ${operator}`);
    }
  });
  return byLabels && byExpressions;
}
