import './tracing';
import { bootstrapGateway } from './gateway-app.factory';
import { loadGatewayConfig } from './gateway.config';

void bootstrapGateway(loadGatewayConfig());
