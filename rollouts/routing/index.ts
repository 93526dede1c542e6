// Routing choices as factories: routing.gatewayApi({...}), routing.nginx({...}), routing.istio({...}).
export { gatewayApi, GATEWAY_API_PLUGIN, DEFAULT_PLUGIN_VERSION, pluginLocation } from './gateway-api.js';
export type { GatewayApiOptions } from './gateway-api.js';
export { nginx } from './nginx.js';
export type { NginxOptions } from './nginx.js';
export { istio, PRIMARY_ROUTE } from './istio.js';
export type { IstioOptions, IstioMirrorOptions } from './istio.js';
export {
  ROUTER_NAMES,
  HEADER_ROUTE_NAME,
  MIRROR_ROUTE_NAME,
  type RouterName,
  type Routing,
  type RoutingContext,
  type Step,
} from './types.js';
