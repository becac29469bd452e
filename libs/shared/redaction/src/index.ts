export {
  REDACTED,
  isSensitiveKey,
  redactValue,
  redactHeaders,
  redactQuery,
  redactUrl,
  redactBody,
} from './redact.js';
