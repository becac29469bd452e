export { GATEWAY_OPENAPI, GATEWAY_OPENAPI_PATH } from './document.js';
export { DOCUMENTED_ERRORS } from './errors.js';
export {
  HTTP_METHODS,
  type Content,
  type Example,
  type HttpMethod,
  type JsonSchema,
  type MediaType,
  type OpenApiDocument,
  type Operation,
  type Parameter,
  type PathItem,
  type Response,
  type SecurityRequirement,
  type SecurityScheme,
} from './types.js';
