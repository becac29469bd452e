export { HOP_BY_HOP_HEADERS, endToEndHeaders, endToEndRawHeaders } from './end-to-end-headers.js';
