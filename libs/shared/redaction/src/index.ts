export {
  REDACTED,
  isSensitiveHeaderName,
  isSensitiveKey,
  redactValue,
  redactHeaders,
  redactQuery,
  redactUrl,
  redactBody,
} from './redact.js';
export { redactText } from './text.js';
