export type { DemoScenarioName } from './scenarios.js';
export { DEMO_SCENARIOS, isDemoScenario } from './scenarios.js';
export type { DemoOptions, DemoSource } from './source.js';
export { createDemoSource, DEFAULT_DEMO_START } from './source.js';
