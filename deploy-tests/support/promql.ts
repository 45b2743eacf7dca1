const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'Inf',
  'NaN',
  'inf',
  'nan',
]);

/** What a PromQL expression reads: metric names, the labels its selectors match, the labels it groups by. */
export interface PromqlUse {
  metrics: string[];
  matchedLabels: Record<string, string[]>;
  groupedBy: string[];
}

/**
 * A small reading of PromQL, enough to check dashboards against the metrics
 * the code registers: strings and ranges are dropped, `{…}` matchers and
 * `by (…)` lists are read, and every remaining identifier that is not a
 * function call or a keyword is a metric name.
 */
export function readPromql(expression: string): PromqlUse {
  let text = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""').replace(/\[[^\]]*\]/g, '');

  const groupedBy: string[] = [];
  text = text.replace(
    /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
    (_match, _keyword, list: string) => {
      groupedBy.push(
        ...list
          .split(',')
          .map((label) => label.trim())
          .filter(Boolean),
      );
      return ' ';
    },
  );

  const matchedLabels: Record<string, string[]> = {};
  const metrics: string[] = [];
  text = text.replace(
    /([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}/g,
    (_match, metric: string | undefined, matchers: string) => {
      const labels = [...matchers.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map(
        ([, label]) => label,
      );
      if (metric) {
        metrics.push(metric);
        matchedLabels[metric] = [...(matchedLabels[metric] ?? []), ...labels];
      }
      return ' ';
    },
  );

  for (const match of text.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g))
    if (!KEYWORDS.has(match[1])) metrics.push(match[1]);

  return { metrics: [...new Set(metrics)], matchedLabels, groupedBy: [...new Set(groupedBy)] };
}
