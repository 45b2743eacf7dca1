// The suite's own database, broker vhost and Redis key prefix (scripts/lib/suite-infra.mjs),
// made fresh for every run, with what only this suite asks of them: retries that come back
// within a second, and the depth of every queue.
import { sh, suiteInfra } from '../../scripts/lib/suite-infra.mjs';

const suite = suiteInfra({ db: 'shop_faults', vhost: 'shop_faults', prefix: 'faults:' });

/** Messages in every queue of the vhost: `{ name: count }`. */
async function queueDepths() {
  const out = await sh('rabbitmqctl', ['--quiet', 'list_queues', '-p', suite.vhost, 'name', 'messages']);
  const depths = {};
  for (const line of out.split('\n')) {
    const [name, count] = line.trim().split(/\s+/);
    if (name && /^\d+$/.test(count ?? '')) depths[name] = Number(count);
  }
  return depths;
}

export const infra = {
  ...suite,
  sh,
  /**
   * The vhost, with guest for the suite (poison publishing, queue counts, the dlq command).
   * `fastRetries` adds a policy that caps the retry queues' TTL at 1 s: for a queue, RabbitMQ
   * applies the lower of the policy's and the queue's own message-ttl.
   */
  async setUpBroker({ fastRetries }) {
    await suite.setUpBroker({ guest: true });
    if (fastRetries)
      await sh('rabbitmqctl', [
        ...['--quiet', 'set_policy', '-p', suite.vhost, '--apply-to', 'queues'],
        ...['faults-fast-retries', '\\.events\\.retry\\.\\d+$', '{"message-ttl":1000}'],
      ]);
  },
  queueDepths,
  /** Parked messages per dead-letter queue. */
  async deadLettered() {
    const depths = await queueDepths();
    return Object.fromEntries(Object.entries(depths).filter(([name]) => name.endsWith('.dlq')));
  },
};
