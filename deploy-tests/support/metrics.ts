import { collectDefaultMetrics, Registry } from 'prom-client';
import { filesUnder, readText } from './repo';

/** A metric family a process exports, with the label names its series can carry. */
export interface MetricFamily {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  labels: string[];
  /** Where it is registered: a source file, or prom-client's default metrics. */
  origin: string;
}

/** Labels every series has: `service` (each app's default label) and the scrape target's. */
export const TARGET_LABELS = ['service', 'job', 'instance'];

const SOURCE_DIRS = ['shared/src', 'services', 'gateway/src'];

/**
 * The metrics registered in the code (`new Counter({ name: '…', labelNames: […] })`
 * and the like, tests excluded): the same static reading a reviewer would do.
 * A registration whose name is not a string literal is reported as an error,
 * so that it cannot hide from the dashboards check.
 */
export function codeMetrics(): { metrics: MetricFamily[]; unreadable: string[] } {
  const metrics: MetricFamily[] = [];
  const unreadable: string[] = [];
  const files = SOURCE_DIRS.flatMap((dir) => filesUnder(dir, /\.ts$/)).filter(
    (file) => /\/src\//.test(file) && !/\.(spec|e2e-spec)\.ts$/.test(file),
  );
  for (const file of files) {
    const source = readText(file);
    for (const match of source.matchAll(/new (Counter|Gauge|Histogram|Summary)\b(?:<[^>]*>)?\(\s*\{/g)) {
      const body = source.slice(match.index, source.indexOf('})', match.index));
      const name = /\bname:\s*'([^']+)'/.exec(body)?.[1];
      if (!name) {
        unreadable.push(`${file}: ${match[0]} without a literal name`);
        continue;
      }
      const labels = /\blabelNames:\s*\[([^\]]*)\]/.exec(body)?.[1] ?? '';
      metrics.push({
        name,
        type: match[1].toLowerCase() as MetricFamily['type'],
        labels: [...labels.matchAll(/'([^']+)'/g)].map(([, label]) => label),
        origin: file,
      });
    }
  }
  return { metrics, unreadable };
}

/** prom-client's default metrics, which every process registers (collectDefaultMetrics). */
export async function defaultMetrics(): Promise<MetricFamily[]> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const families = await registry.getMetricsAsJSON();
  return families.map((family) => ({
    name: family.name,
    type: family.type as unknown as MetricFamily['type'],
    labels: [...new Set(family.values.flatMap((value) => Object.keys(value.labels)))],
    origin: 'prom-client default metrics',
  }));
}

/** The series names a family is queried by: histograms and summaries add suffixes. */
export function seriesNames(family: MetricFamily): Record<string, string[]> {
  const withLe = [...family.labels, 'le'];
  switch (family.type) {
    case 'histogram':
      return {
        [`${family.name}_bucket`]: withLe,
        [`${family.name}_sum`]: family.labels,
        [`${family.name}_count`]: family.labels,
      };
    case 'summary':
      return {
        [family.name]: [...family.labels, 'quantile'],
        [`${family.name}_sum`]: family.labels,
        [`${family.name}_count`]: family.labels,
      };
    default:
      return { [family.name]: family.labels };
  }
}

/**
 * Metrics the alert rules (monitoring/alerts.rules.yml) read before the code
 * registers them. Once a process registers one, alerts.spec.ts checks that it
 * matches this entry; the entry can then go.
 */
export const METRICS_AHEAD_OF_CODE: MetricFamily[] = [];

/** Series Prometheus makes itself: `up` per target, `ALERTS` per pending or firing alert. */
const PROMETHEUS_SERIES: MetricFamily[] = [
  { name: 'up', type: 'gauge', labels: [], origin: 'Prometheus' },
  { name: 'ALERTS', type: 'gauge', labels: ['alertname', 'alertstate', 'severity'], origin: 'Prometheus' },
];

export type KnownSeries = Map<string, { labels: string[]; family: MetricFamily }>;

/** Every series a query may read, by name: the code's, prom-client's defaults, Prometheus's own, and those ahead of the code. */
export async function knownSeries(): Promise<KnownSeries> {
  const known: KnownSeries = new Map();
  const families = [...METRICS_AHEAD_OF_CODE, ...codeMetrics().metrics, ...(await defaultMetrics())];
  for (const family of [...families, ...PROMETHEUS_SERIES])
    for (const [series, labels] of Object.entries(seriesNames(family))) known.set(series, { labels, family });
  return known;
}
