import { EventEmitter, once } from 'node:events';
import { connect, type ChannelModel, type ConfirmChannel, type RecoveringChannelModel } from 'amqplib';
import { BusLogger, busLogger } from './bus-logger.factory';
import { connectionUrl, socketOptions, type AmqpConnectionOptions } from './amqp-connection.options';
import { EventBusError } from './event-bus.errors';

export type { AmqpConnectionOptions } from './amqp-connection.options';

/** Work to (re)do on every new connection, e.g. declare the topology or start a consumer. */
export type ConnectionSetup = (connection: ChannelModel) => Promise<void>;

type ConnectionEvent = 'connected' | 'disconnected';

/**
 * One AMQP connection that survives the broker: it connects in the background
 * with exponential backoff and jitter, reconnects whenever the connection
 * drops (socket error, heartbeat timeout, broker restart), and on every
 * connection runs the registered setups again, so the topology is redeclared
 * and the consumers resume. It never emits an unhandled `'error'`: a service
 * with its broker away keeps serving, reports `broker: down` in readiness,
 * and its outbox keeps the events.
 */
export class AmqpConnectionService {
  private readonly setups: ConnectionSetup[] = [];
  private readonly events = new EventEmitter();
  private readonly logger: BusLogger;
  private starting?: Promise<RecoveringChannelModel>;
  private current?: ChannelModel;
  private lastError?: Error;
  private closed = false;

  constructor(private readonly options: AmqpConnectionOptions) {
    this.logger = busLogger(`Amqp:${options.name}`, options.logger);
    const protocol = new URL(options.url).protocol;
    if (protocol !== 'amqp:' && protocol !== 'amqps:')
      throw new Error('RabbitMQ URL must be amqp:// or amqps://');
  }

  /** Registers a setup, run in registration order on every connection. Register before `start()`. */
  onConnect(setup: ConnectionSetup): void {
    if (this.starting) throw new Error('Register connection setups before start()');
    this.setups.push(setup);
  }

  /** Starts connecting in the background; resolves at once, never rejects. */
  start(): void {
    if (this.starting || this.closed) return;
    const setup = (model: ChannelModel) => this.runSetups(model);
    this.starting = connect(connectionUrl(this.options), socketOptions(this.options, setup));
    // With waitForConnect false the first attempt waits for the next turn of
    // the event loop, so these listeners are in place before anything happens.
    void this.starting.then((recovering) => this.listen(recovering));
  }

  /** True while a connection is open and its setups have run (the readiness check). */
  isConnected(): boolean {
    return this.current !== undefined;
  }

  /** Why the broker is unreachable, for the readiness report. */
  describeFailure(): string {
    return this.lastError ? `not connected: ${this.lastError.message}` : 'not connected yet';
  }

  /** Resolves once connected (at once if already), or rejects after `timeoutMs`. */
  async waitUntilConnected(timeoutMs = 10_000): Promise<void> {
    if (this.current) return;
    try {
      await once(this.events, 'connected', { signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new EventBusError('BUS.NOT_CONNECTED', `not connected after ${timeoutMs} ms`);
    }
  }

  /** Subscribes to connection changes, e.g. to publish the outbox's backlog at once after a reconnect. */
  on(event: ConnectionEvent, listener: () => void): void {
    this.events.on(event, listener);
  }

  /**
   * Opens a confirm channel on the current connection, failing fast while
   * there is none (callers retry later rather than queue up behind an outage).
   * Channel errors are logged here; the channel is unusable once it emits
   * `close`.
   */
  async createConfirmChannel(): Promise<ConfirmChannel> {
    const model = this.current;
    if (!model) throw new EventBusError('BUS.NOT_CONNECTED', `RabbitMQ ${this.describeFailure()}`);
    const channel = await model.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn(`RabbitMQ closed a channel: ${error.message}`));
    return channel;
  }

  /**
   * Drops the current connection on purpose, so that recovery reconnects and
   * runs every setup again: the way back from a state a setup cannot repair
   * alone (a consumer cancelled by the broker, a lost consumer channel).
   */
  reset(reason: string): void {
    const model = this.current;
    if (!model || this.closed) return;
    this.logger.warn(`Reconnecting to RabbitMQ: ${reason}`);
    model.close().catch(() => undefined);
  }

  /** Closes the connection for good (application shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    this.current = undefined;
    const recovering = await this.starting;
    await recovering?.close().catch(() => undefined);
  }

  private async runSetups(model: ChannelModel): Promise<void> {
    // Until recovery adopts the connection (after these setups) nobody else
    // listens for its 'error'; an unheard 'error' event would kill the process.
    model.on('error', () => undefined);
    for (const setup of this.setups) await setup(model);
  }

  private listen(recovering: RecoveringChannelModel): void {
    recovering.on('connect', (model: ChannelModel) => {
      this.current = model;
      this.lastError = undefined;
      this.logger.log(`Connected to RabbitMQ as ${this.options.name}`);
      this.events.emit('connected');
    });
    recovering.on('disconnect', (error: Error) => {
      this.current = undefined;
      this.lastError = error;
      if (!this.closed) this.logger.warn(`Lost the RabbitMQ connection: ${error.message}`);
      this.events.emit('disconnected');
    });
    recovering.on('connect-failed', (error: Error) => (this.lastError = error));
    recovering.on('reconnect-scheduled', ({ attempt, delay, error }) => {
      this.logger.warn(`RabbitMQ unavailable (${error.message}); attempt ${attempt} in ${delay} ms`);
    });
    recovering.on('error', (error: Error) => (this.lastError = error));
    recovering.on('blocked', (reason: string) => this.logger.warn(`RabbitMQ blocked publishing: ${reason}`));
    recovering.on('unblocked', () => this.logger.log('RabbitMQ unblocked publishing'));
    recovering.on('handler-error', (error: Error, event: string) =>
      this.logger.error(`A RabbitMQ '${event}' listener threw: ${error.message}`),
    );
  }
}
