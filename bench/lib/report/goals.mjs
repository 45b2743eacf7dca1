// The goals of issue 9, each with its value measured in this run, its target and MET/MISS.
import { busRatio } from './bus.mjs';
import { largestAfterLoad, MEMORY_GOAL_MB } from './footprint.mjs';
import { gatewayRatios } from './gateway.mjs';
import { num, table } from './markdown.mjs';
import { SAGA_GOAL, sagaAtGoalRate } from './saga.mjs';

/** `[goal, value text, target text, met]` for every goal. */
export function evaluateGoals({ partA, saga, memory, bus }) {
  const ratios = gatewayRatios(partA);
  const atRate = sagaAtGoalRate(saga);
  const largest = largestAfterLoad(memory);
  const ratio = busRatio(bus);
  const at = `at ${SAGA_GOAL.rate} orders/s`;
  return [
    [
      `saga p50 ${at}`,
      `${num(atRate?.latency.p50)} ms`,
      `≤ ${SAGA_GOAL.p50} ms`,
      atRate?.latency.p50 <= SAGA_GOAL.p50,
    ],
    [
      `saga p99 ${at}`,
      `${num(atRate?.latency.p99)} ms`,
      `≤ ${SAGA_GOAL.p99} ms`,
      atRate?.latency.p99 <= SAGA_GOAL.p99,
    ],
    ['gateway / nginx-proxied, (b)/(d)', ratios['b/d'].toFixed(2), '≥ 0.8', ratios['b/d'] >= 0.8],
    ['gateway / direct, (b)/(a)', ratios['b/a'].toFixed(2), '≥ 0.7', ratios['b/a'] >= 0.7],
    ['items / plain floor, (a)/(c)', ratios['a/c'].toFixed(2), '≥ 0.5', ratios['a/c'] >= 0.5],
    [
      'every process resident after the warm-up',
      `largest: ${largest.name} ${num(largest.rssMb, 0)} MB`,
      `≤ ${MEMORY_GOAL_MB} MB`,
      largest.rssMb <= MEMORY_GOAL_MB,
    ],
    ['event bus / plain amqplib, events/s', ratio.toFixed(2), '≥ 0.5', ratio >= 0.5],
  ];
}

export function goalsSection(goals) {
  return [
    '### Goals',
    table(
      [
        ['Goal', 'l'],
        ['measured', 'r'],
        ['target', 'r'],
        ['', 'l'],
      ],
      goals.map(([goal, value, target, met]) => [goal, value, target, met ? 'MET' : 'MISS']),
    ),
  ];
}
