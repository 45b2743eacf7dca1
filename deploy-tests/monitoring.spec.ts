import { readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { loadCompose } from './support/compose';
import { canRender, find, renderK8s, templateOf } from './support/k8s';
import { codeMetrics, knownSeries, type KnownSeries, TARGET_LABELS } from './support/metrics';
import { PROCESSES } from './support/processes';
import { readPromql } from './support/promql';
import { fromRoot, hasTool, itWhen, readText, run } from './support/repo';

const DASHBOARDS_DIR = 'monitoring/grafana/dashboards';
const dashboardFiles = readdirSync(fromRoot(DASHBOARDS_DIR)).filter((file) => file.endsWith('.json'));

interface Panel {
  title: string;
  type: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: { list: { name: string; query?: { query: string } | string; datasource?: { uid: string } }[] };
}

const dashboards = dashboardFiles.map((file) => ({
  file,
  dashboard: JSON.parse(readText(`${DASHBOARDS_DIR}/${file}`)) as Dashboard,
}));
const panelsOf = (dashboard: Dashboard): Panel[] =>
  dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
/** Every query of a dashboard: panel targets and template variable queries. */
const queriesOf = (dashboard: Dashboard): { where: string; expr: string }[] => [
  ...panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: `${dashboard.title} / ${panel.title}`,
      expr: target.expr,
    })),
  ),
  ...(dashboard.templating?.list ?? []).map((variable) => {
    const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
    // label_values(metric, label): the metric is what matters here.
    const labelValues = /^label_values\((.+),\s*([a-zA-Z_]+)\)$/.exec(query);
    return { where: `${dashboard.title} / $${variable.name}`, expr: labelValues ? labelValues[1] : query };
  }),
];

const RULES_FILE = 'monitoring/alerts.rules.yml';
const rules = (
  parse(readText(RULES_FILE)) as { groups: { rules: { alert: string; expr: string }[] }[] }
).groups
  .flatMap((group) => group.rules)
  .map((rule) => ({ where: `alerts.rules.yml / ${rule.alert}`, expr: rule.expr }));

/** What the metric checks read: each dashboard's queries, and the alert rules' expressions. */
const querySources = [
  ...dashboards.map(({ file, dashboard }) => ({ name: file, queries: queriesOf(dashboard) })),
  { name: 'alerts.rules.yml', queries: rules },
];
const queriesIn = (name: string) => querySources.find((source) => source.name === name)!.queries;

/** promtool of Debian is built without Kubernetes service discovery. */
function promtoolReadsKubernetesSd(): boolean {
  if (!hasTool('promtool')) return false;
  return !/kubernetes_sd_configs not found/.test(
    run('promtool', ['check', 'config', 'monitoring/prometheus-k8s.yml']).output,
  );
}

describe('Prometheus', () => {
  itWhen(hasTool('promtool'), 'promtool is not installed')(
    'monitoring/prometheus.yml passes promtool check config',
    () => {
      const result = run('promtool', ['check', 'config', 'monitoring/prometheus.yml']);
      expect(result.output).toContain('SUCCESS');
      expect(result.status).toBe(0);
    },
  );

  itWhen(
    promtoolReadsKubernetesSd(),
    hasTool('promtool')
      ? 'this promtool has no Kubernetes service discovery (Debian builds it without)'
      : 'promtool is not installed',
  )('monitoring/prometheus-k8s.yml passes promtool check config', () => {
    const result = run('promtool', ['check', 'config', 'monitoring/prometheus-k8s.yml']);
    expect(result.status).toBe(0);
  });

  it('scrapes every process in compose by its service name, the gateway on its admin port', () => {
    const config = parse(readText('monitoring/prometheus.yml')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const shop = config.scrape_configs.find((job) => job.job_name === 'shop')!;
    const targets = shop.static_configs.flatMap((group) => group.targets);
    expect(targets.sort()).toEqual(PROCESSES.map((proc) => `${proc.name}:${proc.metricsPort}`).sort());
    const compose = loadCompose('docker-compose.yml');
    for (const proc of PROCESSES) expect(Object.keys(compose.services)).toContain(proc.name);
  });

  it('in Kubernetes, keeps the pods of its namespace annotated for scraping, on the annotated port and path', () => {
    const config = parse(readText('monitoring/prometheus-k8s.yml')) as {
      scrape_configs: {
        job_name: string;
        kubernetes_sd_configs?: { role: string; namespaces?: { own_namespace?: boolean } }[];
        relabel_configs?: { source_labels?: string[]; action?: string; target_label?: string }[];
      }[];
    };
    const shop = config.scrape_configs.find((job) => job.job_name === 'shop')!;
    expect(shop.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { own_namespace: true } }]);
    const relabel = JSON.stringify(shop.relabel_configs);
    for (const annotation of ['scrape', 'port', 'path'])
      expect(relabel).toContain(`__meta_kubernetes_pod_annotation_prometheus_io_${annotation}`);
  });
});

describe('Grafana provisioning', () => {
  const datasources = parse(readText('monitoring/grafana/provisioning/datasources/prometheus.yml')) as {
    datasources: { uid: string; url: string; type: string }[];
  };
  const providers = parse(readText('monitoring/grafana/provisioning/dashboards/shop.yml')) as {
    providers: { options: { path: string } }[];
  };

  it('points the data source at Prometheus by the name compose and Kubernetes both give it', () => {
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
  });

  itWhen(canRender, 'kubectl is not installed')(
    'loads dashboards from where compose and Kubernetes mount them',
    () => {
      const path = providers.providers[0].options.path;
      expect(loadCompose('docker-compose.yml').services.grafana.volumes).toContain(
        `./${DASHBOARDS_DIR}:${path}:ro`,
      );
      const grafana = templateOf(find(renderK8s(), 'Deployment', 'grafana')).spec!.containers[0];
      expect(grafana.volumeMounts).toContainEqual(
        expect.objectContaining({ name: 'dashboards', mountPath: path }),
      );
    },
  );

  it('ships every dashboard and provisioning file to Kubernetes too (monitoring/kustomization.yaml)', () => {
    const kustomization = readText('monitoring/kustomization.yaml');
    for (const file of dashboardFiles)
      expect(kustomization).toContain(`- ${DASHBOARDS_DIR.replace('monitoring/', '')}/${file}`);
    for (const dir of ['datasources', 'dashboards'])
      for (const file of readdirSync(fromRoot(`monitoring/grafana/provisioning/${dir}`)))
        expect(kustomization).toContain(`grafana/provisioning/${dir}/${file}`);
  });
});

describe('the dashboards and the alert rules', () => {
  let families: KnownSeries;
  beforeAll(async () => {
    families = await knownSeries();
  });

  it('read every metric registration in the code', () => {
    expect(codeMetrics().unreadable).toEqual([]);
  });

  it('have unique uids and query only the provisioned data source', () => {
    expect(new Set(dashboards.map(({ dashboard }) => dashboard.uid)).size).toBe(dashboards.length);
    for (const { dashboard } of dashboards)
      for (const panel of panelsOf(dashboard).filter((candidate) => candidate.type !== 'row'))
        expect({ panel: panel.title, uid: panel.datasource?.uid }).toEqual({
          panel: panel.title,
          uid: 'prometheus',
        });
  });

  it.each(querySources.map(({ name }) => name))('%s queries only metrics that a process exports', (name) => {
    const unknown = queriesIn(name).flatMap(({ where, expr }) =>
      readPromql(expr)
        .metrics.filter((metric) => !families.has(metric))
        .map((metric) => `${where}: ${metric}`),
    );
    expect(unknown).toEqual([]);
  });

  it.each(querySources.map(({ name }) => name))(
    '%s matches and groups by labels those metrics have',
    (name) => {
      const wrong: string[] = [];
      for (const { where, expr } of queriesIn(name)) {
        const use = readPromql(expr);
        const labelsOf = (metric: string) => [...(families.get(metric)?.labels ?? []), ...TARGET_LABELS];
        for (const [metric, labels] of Object.entries(use.matchedLabels))
          for (const label of labels.filter((candidate) => !labelsOf(metric).includes(candidate)))
            wrong.push(`${where}: ${metric} has no label ${label}`);
        const available = use.metrics.flatMap(labelsOf);
        for (const label of use.groupedBy.filter((candidate) => !available.includes(candidate)))
          wrong.push(`${where}: no metric of the query has label ${label}`);
      }
      expect(wrong).toEqual([]);
    },
  );

  it('cover RED per service, the saga and the event bus', () => {
    const queried = new Set(
      dashboards.flatMap(({ dashboard }) =>
        queriesOf(dashboard).flatMap(({ expr }) => readPromql(expr).metrics),
      ),
    );
    expect([...queried]).toEqual(
      expect.arrayContaining([
        'http_request_duration_seconds_count',
        'http_request_duration_seconds_bucket',
        'orders_placed_total',
        'orders_confirmed_total',
        'orders_rejected_total',
        'orders_cancelled_total',
        'order_time_to_confirm_seconds_bucket',
        'events_published_total',
        'events_consumed_total',
        'outbox_backlog',
      ]),
    );
  });
});

describe('the PromQL reader of these tests', () => {
  it('finds metric names, matched labels and grouping labels', () => {
    expect(
      readPromql(
        'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{service="$service", status=~"5.."}[$__rate_interval]))) / clamp_min(up, 1e-9)',
      ),
    ).toEqual({
      metrics: ['http_request_duration_seconds_bucket', 'up'],
      matchedLabels: { http_request_duration_seconds_bucket: ['service', 'status'] },
      groupedBy: ['le', 'route'],
    });
  });
});
