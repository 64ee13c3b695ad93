/** The OSC desk bridge for the kiosk server: `startBridge(options)` and its types. */
export { startBridge, type BridgeHandle, type BridgeStats } from './bridge.ts';
export { DEFAULT_OSCQUERY_PORT, DEFAULT_UDP_PORT, DEFAULT_WS_PATH, type BridgeLogger, type BridgeOptions, type Endpoint } from './options.ts';
