export { HOP_BY_HOP_HEADERS, endToEndHeaders } from './end-to-end-headers.js';
