import type { LoyaltyConfig } from '../config.js';

export type AsyncEventsOptions = LoyaltyConfig['asyncEvents'];

export const ASYNC_EVENTS_OPTIONS = Symbol('ASYNC_EVENTS_OPTIONS');
