import { jest } from '@jest/globals';

// end-to-end tests start the whole platform: allow them minutes, not seconds
jest.setTimeout(180_000);
