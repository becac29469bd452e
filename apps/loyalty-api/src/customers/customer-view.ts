import type { CustomerView } from '@loyalty-edge/loyalty-contracts';
import type { CustomerEntity } from './customer.entity.js';

/** The API shape of a customer row. */
export function toCustomerView(row: CustomerEntity): CustomerView {
  return {
    id: row.id,
    status: row.status,
    first_name: row.firstName,
    last_name: row.lastName,
    email: row.email,
    birth_date: row.birthDate,
    language: row.language,
    score: row.score,
    spent: row.spent,
    spendable: row.spendable,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
