import { isDatabaseUnreachable } from './unreachable.js';

const withCode = (message: string, code: string): Error =>
  Object.assign(new Error(message), { code });

describe(isDatabaseUnreachable.name, () => {
  it('recognises a refused, dropped or timed-out connection', () => {
    expect(
      isDatabaseUnreachable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')),
    ).toBe(true);
    expect(isDatabaseUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnreachable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnreachable(new Error('Query read timeout'))).toBe(true);
  });

  it('recognises a server shutting down or not accepting connections', () => {
    expect(isDatabaseUnreachable(withCode('terminating connection', '57P01'))).toBe(true);
    expect(isDatabaseUnreachable(withCode('the database system is starting up', '57P03'))).toBe(
      true,
    );
    expect(isDatabaseUnreachable(withCode('connection failure', '08006'))).toBe(true);
  });

  it("looks through TypeORM's driverError and an error's cause", () => {
    const driverError = new Error('Connection terminated unexpectedly');
    const wrapped = Object.assign(new Error('Query failed'), { driverError });
    expect(isDatabaseUnreachable(wrapped)).toBe(true);
    expect(isDatabaseUnreachable(new Error('outer', { cause: wrapped }))).toBe(true);
  });

  it('leaves errors of the query itself alone', () => {
    expect(isDatabaseUnreachable(withCode('duplicate key value', '23505'))).toBe(false);
    expect(isDatabaseUnreachable(withCode('syntax error', '42601'))).toBe(false);
    expect(isDatabaseUnreachable(new Error('anything else'))).toBe(false);
    expect(isDatabaseUnreachable('ECONNREFUSED')).toBe(false);
    expect(isDatabaseUnreachable(undefined)).toBe(false);
  });
});
