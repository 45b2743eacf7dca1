import './tracing';
import { bootstrapGateway } from './gateway.app';
import { loadGatewayConfig } from './gateway.config';

void bootstrapGateway(loadGatewayConfig());
