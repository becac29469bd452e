export {
  runService,
  rootModule,
  connectDependencies,
  type ServiceSpec,
  type ServiceDeps,
  type RunningService,
} from './bootstrap.js';
export { runCommand, runMain, type Command } from './commands.js';
export { DependencyError, exitOnStartFailure, safeUrl } from './dependencies.js';
export { validationPipe, fieldProblems } from './validation.js';
export { ActorDto, ActorField } from './actor.dto.js';
