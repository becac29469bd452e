export {
  dataSourceOptions,
  migrate,
  openDatabase,
  schemaOf,
  type ServiceDbOptions,
} from './data-source.js';
export { DbModule, databaseReady } from './db.module.js';
export { isDatabaseUnreachable } from './unreachable.js';
