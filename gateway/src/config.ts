import { AuthConfig, env, envInt, isProduction, loadAuthConfig, loadGatewaySecret } from '@integration-graph/common';
import { SUBGRAPHS, SubgraphName } from './compose';

export interface GatewayConfig {
  host: string;
  port: number;
  subgraphUrls: Record<SubgraphName, string>;
  subgraphTimeoutMs: number;
  auth: AuthConfig;
  /** GATEWAY_SHARED_SECRET, sent to every subgraph in x-gateway-secret (without it, public requests are refused there). */
  gatewaySecret?: string;
  production: boolean;
}

export function loadGatewayConfig(): GatewayConfig {
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map((subgraph) => [subgraph.name, env(subgraph.urlEnv, subgraph.defaultUrl)!]),
  ) as Record<SubgraphName, string>;
  return {
    host: env('HOST', '127.0.0.1')!,
    port: envInt('PORT', 4000),
    subgraphUrls,
    subgraphTimeoutMs: envInt('SUBGRAPH_TIMEOUT_MS', 10_000),
    auth: loadAuthConfig(),
    gatewaySecret: loadGatewaySecret(),
    production: isProduction(),
  };
}
