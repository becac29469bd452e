export { JsonLogger, type LogLevel } from './json-logger.js';
export { Metrics, statusClass } from './metrics.js';
export { Readiness, type ReadinessCheck } from './readiness.js';
export { HealthController } from './health.controller.js';
export { ObservabilityModule } from './observability.module.js';
