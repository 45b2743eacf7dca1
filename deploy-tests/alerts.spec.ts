import { readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { loadCompose } from './support/compose';
import { canRender, find, ofKind, renderK8s, templateOf, valuesOf } from './support/k8s';
import { codeMetrics, knownSeries, METRICS_AHEAD_OF_CODE, TARGET_LABELS } from './support/metrics';
import { readPromql } from './support/promql';
import { filesUnder, fromRoot, hasTool, itWhen, readText, run } from './support/repo';

const RULES = 'monitoring/alerts.rules.yml';
const TESTS = 'monitoring/alerts.test.yml';
const DASHBOARDS_DIR = 'monitoring/grafana/dashboards';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTest {
  alertname: string;
  exp_alerts: unknown[];
}

const rules = (parse(readText(RULES)) as { groups: { rules: Rule[] }[] }).groups.flatMap(
  (group) => group.rules,
);
const alerts = rules.map((rule) => rule.alert ?? `(recording rule ${rule.record})`);
const unitTests = parse(readText(TESTS)) as {
  rule_files: string[];
  tests: { alert_rule_test?: RuleTest[] }[];
};

/** promtool, or a failure that says how to get it: these checks must not pass by being skipped. */
function promtool(...args: string[]) {
  if (!hasTool('promtool'))
    throw new Error('promtool is not on the PATH: apt-get install prometheus (.ci/run installs it in CI)');
  return run('promtool', args);
}

/** The labels `{{ $labels.x }}` names in a rule's annotations. */
const templateLabels = (rule: Rule): string[] => [
  ...new Set(
    Object.values(rule.annotations ?? {}).flatMap((text) =>
      [...text.matchAll(/\$labels\.([a-zA-Z_]\w*)/g)].map(([, label]) => label),
    ),
  ),
];

/** Labels the Kubernetes scrape job adds to every target (pod, app). */
const k8sTargetLabels = (
  parse(readText('monitoring/prometheus-k8s.yml')) as {
    scrape_configs: { relabel_configs?: { target_label?: string }[] }[];
  }
).scrape_configs.flatMap((job) => (job.relabel_configs ?? []).map((relabel) => relabel.target_label ?? ''));

describe('the alert rules (monitoring/alerts.rules.yml)', () => {
  it('pass promtool check rules', () => {
    const result = promtool('check', 'rules', RULES);
    expect(result).toEqual({ status: 0, output: expect.stringContaining(`SUCCESS: ${rules.length} rules`) });
  });

  it('pass their unit tests (promtool test rules monitoring/alerts.test.yml)', () => {
    expect(unitTests.rule_files).toEqual(['alerts.rules.yml']);
    const result = promtool('test', 'rules', TESTS);
    expect(result).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('are alerts with unique names, a severity, a summary and a description of what to do', () => {
    expect(new Set(alerts).size).toBe(alerts.length);
    for (const rule of rules)
      expect({
        alert: rule.alert,
        severity: rule.labels?.severity,
        summary: typeof rule.annotations?.summary,
        description: (rule.annotations?.description ?? '').length > 80,
      }).toEqual({
        alert: expect.stringMatching(/^[A-Z][A-Za-z0-9]+$/),
        severity: expect.stringMatching(/^(critical|warning)$/),
        summary: 'string',
        description: true,
      });
  });

  it('name in their annotations only labels their expression keeps', async () => {
    const families = await knownSeries();
    const wrong = rules.flatMap((rule) => {
      const use = readPromql(rule.expr);
      // An aggregation keeps its `by` labels; a plain selector the metric's and the target's.
      const kept = use.groupedBy.length
        ? use.groupedBy
        : [
            ...use.metrics.flatMap((metric) => families.get(metric)?.labels ?? []),
            ...TARGET_LABELS,
            ...k8sTargetLabels,
          ];
      return templateLabels(rule)
        .filter((label) => !kept.includes(label))
        .map((label) => `${rule.alert}: $labels.${label}`);
    });
    expect(wrong).toEqual([]);
  });

  it.each(alerts)('%s has a unit test where it fires and one where it stays silent', (alert) => {
    const cases = unitTests.tests
      .flatMap((test) => test.alert_rule_test ?? [])
      .filter((test) => test.alertname === alert);
    expect({
      fires: cases.some((test) => test.exp_alerts.length > 0),
      silent: cases.some((test) => test.exp_alerts.length === 0),
    }).toEqual({ fires: true, silent: true });
  });

  it('read the metrics expected ahead of the code, which match the code once it registers them', () => {
    const read = new Set(rules.flatMap((rule) => readPromql(rule.expr).metrics));
    const registered = codeMetrics().metrics;
    for (const expected of METRICS_AHEAD_OF_CODE) {
      expect({ name: expected.name, read: read.has(expected.name) }).toEqual({
        name: expected.name,
        read: true,
      });
      for (const family of registered.filter((candidate) => candidate.name === expected.name))
        expect({ ...family, origin: expected.origin }).toEqual(expected);
    }
  });
});

describe('where Prometheus finds the alert rules', () => {
  const ruleFiles = (config: string) => (parse(readText(config)) as { rule_files?: string[] }).rule_files;

  it('compose mounts the one rules file beside prometheus.yml, which loads it', () => {
    expect(ruleFiles('monitoring/prometheus.yml')).toEqual(['alerts.rules.yml']);
    expect(loadCompose('docker-compose.yml').services.prometheus.volumes).toEqual(
      expect.arrayContaining([
        './monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        `./${RULES}:/etc/prometheus/alerts.rules.yml:ro`,
      ]),
    );
  });

  itWhen(canRender, 'kubectl is not installed')(
    'Kubernetes puts the same file beside prometheus-k8s.yml in the ConfigMap Prometheus reads',
    () => {
      expect(ruleFiles('monitoring/prometheus-k8s.yml')).toEqual(['alerts.rules.yml']);
      const objects = renderK8s();
      const container = templateOf(find(objects, 'Deployment', 'prometheus')).spec!.containers[0];
      expect(container.args).toContain('--config.file=/etc/prometheus/prometheus.yml');
      const mount = container.volumeMounts!.find((candidate) => candidate.mountPath === '/etc/prometheus')!;
      const volume = templateOf(find(objects, 'Deployment', 'prometheus')).spec!.volumes!.find(
        (candidate) => candidate.name === mount.name,
      )!;
      const config = ofKind(objects, 'ConfigMap').find(
        (object) => object.metadata.name === volume.configMap?.name,
      )!;
      expect(valuesOf(config)['prometheus.yml'] === readText('monitoring/prometheus-k8s.yml')).toBe(true);
      expect(valuesOf(config)['alerts.rules.yml'] === readText(RULES)).toBe(true);
    },
  );

  it('keeps no copy of the rules under k8s/', () => {
    const copies = filesUnder('k8s', /\.ya?ml$/).filter((file) => /^\s*- alert:/m.test(readText(file)));
    expect(copies).toEqual([]);
  });
});

describe('the dashboards', () => {
  const dashboards = readdirSync(fromRoot(DASHBOARDS_DIR))
    .filter((file) => file.endsWith('.json'))
    .map((file) => {
      const json = JSON.parse(readText(`${DASHBOARDS_DIR}/${file}`)) as {
        panels: { title: string; type: string; targets?: { expr: string }[] }[];
      };
      const alertsShown = json.panels.flatMap((panel) =>
        (panel.targets ?? []).flatMap(({ expr }) =>
          [...expr.matchAll(/ALERTS\{[^}]*alertname="([^"]+)"/g)].map(([, alert]) => alert),
        ),
      );
      return { file, rows: json.panels.filter((panel) => panel.type === 'row'), alertsShown };
    });

  it.each(alerts)('show whether %s fires, in an Alerts row', (alert) => {
    const showing = dashboards.filter(({ alertsShown }) => alertsShown.includes(alert));
    expect(showing.map(({ file }) => file)).not.toEqual([]);
    for (const { rows } of showing) expect(rows[0]?.title).toBe('Alerts');
  });

  it('name only alerts that exist', () => {
    const unknown = dashboards.flatMap(({ file, alertsShown }) =>
      alertsShown.filter((alert) => !alerts.includes(alert)).map((alert) => `${file}: ${alert}`),
    );
    expect(unknown).toEqual([]);
  });
});
