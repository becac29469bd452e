import { CreateLoyalty1734000000000 } from './1734000000000-create-loyalty.js';

export const migrations = [CreateLoyalty1734000000000];
