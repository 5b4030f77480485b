/**
 * A local RingCentral REST API simulator for tests, the demo and benchmarks. Point a `ringCentralJwtApi`
 * credential's Server URL at `sim.url` and log in with `SIM_DEFAULTS`.
 */
export { startSimulator, type Simulator, type SimulatorOptions } from './server';
export { SIM_DEFAULTS, mintJwt, defaultConfig, defaultSeed } from './seed';
export type { SimConfig, SimConfigPatch, SimFault, SimMessageView, SimSeed, SimStats, SimUser, SimApp, SimPhoneNumber, FailingNumber } from './types';
export { callLogOf, seedCallLog, type CallLogSeedRequest, type SimCallRecord, type SimCallQueue } from './callLog';
