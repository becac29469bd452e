import { errors } from '@nats-io/transport-node';
import { isPermissionViolation } from './replicas.js';

describe(isPermissionViolation.name, () => {
  it('recognises a refused publish, also as the cause of another error', () => {
    const refused = errors.PermissionViolationError.parse(
      'Permissions Violation for Publish to "$JS.API.STREAM.UPDATE.KV_le_api_keys"',
    );
    expect(refused).not.toBeNull();
    expect(isPermissionViolation(refused)).toBe(true);
    expect(isPermissionViolation(new Error('request failed', { cause: refused }))).toBe(true);
  });

  it('leaves every other failure alone', () => {
    expect(isPermissionViolation(new errors.TimeoutError())).toBe(false);
    expect(isPermissionViolation(new Error('insufficient resources'))).toBe(false);
    expect(isPermissionViolation('permissions violation')).toBe(false);
    expect(isPermissionViolation(undefined)).toBe(false);
  });
});
