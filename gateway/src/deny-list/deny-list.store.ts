import { Inject, Injectable } from '@nestjs/common';
import { DeniedUsersStore, deniedUsersRedis } from '@shop/shared';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';

/**
 * The gateway's view of the deny-list every process shares (`DeniedUsersStore`
 * in @shop/shared): its verifier, edge tokens and WebSockets check it, and it
 * feeds the list from `user.disabled` / `user.deleted`, which every replica
 * hears on its own queue. The users service writes the same set when it
 * commits, so the list holds with either side down.
 */
@Injectable()
export class DenyListStore extends DeniedUsersStore {
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    super(deniedUsersRedis(config));
  }
}
