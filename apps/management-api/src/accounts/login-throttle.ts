import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';
import { AppError } from '@loyalty-edge/errors';
import { ManagementErrorCodes } from '@loyalty-edge/management-contracts';
import { MANAGEMENT_CONFIG, type ManagementConfig } from '../config.js';

interface Limit {
  readonly max: number;
  readonly windowSeconds: number;
  readonly lockSeconds: number;
}

interface Count {
  readonly failures: number;
  readonly lockedUntil: Date | null;
}

/**
 * Login throttling shared by every replica, in PostgreSQL. Each attempt is counted *before*
 * the password is checked (so a burst of parallel guesses cannot overrun the limit), per email
 * and per client IP; a success clears the email's count and takes the attempt back from the
 * IP's. Unknown emails are counted and locked like known ones: no user-existence oracle.
 */
@Injectable()
export class LoginThrottle {
  private readonly emailLimit: Limit;
  private readonly ipLimit: Limit;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MANAGEMENT_CONFIG) config: ManagementConfig,
  ) {
    const { login } = config;
    this.emailLimit = {
      max: login.maxFailures,
      windowSeconds: login.lockoutSeconds,
      lockSeconds: login.lockoutSeconds,
    };
    this.ipLimit = {
      max: login.ipMaxFailures,
      windowSeconds: login.ipWindowSeconds,
      lockSeconds: login.ipWindowSeconds,
    };
  }

  private get table(): string {
    return `${schemaOf({ connection: this.dataSource })}.login_throttle`;
  }

  /**
   * Counts an attempt; refuses it when the IP or the email is over its limit. Returns whether
   * a failure of this attempt locks the email (the last allowed one).
   */
  async begin(email: string, clientIp: string): Promise<{ lastChance: boolean }> {
    const ip = await this.count(`ip:${clientIp}`, this.ipLimit);
    if (ip.failures > this.ipLimit.max) {
      throw this.limited(
        ManagementErrorCodes.loginRateLimited,
        ip,
        'Too many login attempts from this address',
      );
    }
    const account = await this.count(`email:${email}`, this.emailLimit);
    if (account.failures > this.emailLimit.max) {
      throw this.limited(
        ManagementErrorCodes.accountLocked,
        account,
        'Too many failed logins: the account is locked',
      );
    }
    return { lastChance: account.failures >= this.emailLimit.max };
  }

  /**
   * Counts an attempt with an invitation token from this address, before the token is looked
   * up; refuses it once the address has failed as often as a login may. A found token gives the
   * attempt back (`invitationFound`), so only unknown, used and expired tokens count.
   */
  async beginInvitation(clientIp: string): Promise<void> {
    const ip = await this.count(`invitation-ip:${clientIp}`, this.ipLimit);
    if (ip.failures > this.ipLimit.max) {
      throw this.limited(
        ManagementErrorCodes.invitationLookupsLimited,
        ip,
        'Too many invitation links tried from this address',
      );
    }
  }

  async invitationFound(clientIp: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.table} SET failures = greatest(failures - 1, 0) WHERE key = $1`,
      [`invitation-ip:${clientIp}`],
    );
  }

  /** The error for a failed last chance: the account is now locked. */
  lockedNow(): AppError {
    const until = new Date(Date.now() + this.emailLimit.lockSeconds * 1000);
    return this.limited(
      ManagementErrorCodes.accountLocked,
      { failures: this.emailLimit.max, lockedUntil: until },
      'Too many failed logins: the account is locked',
    );
  }

  async succeeded(email: string, clientIp: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE key = $1`, [`email:${email}`]);
    await this.dataSource.query(
      `UPDATE ${this.table} SET failures = greatest(failures - 1, 0) WHERE key = $1`,
      [`ip:${clientIp}`],
    );
    await this.dataSource.query(
      `DELETE FROM ${this.table}
        WHERE window_started_at < now() - interval '1 day'
          AND (locked_until IS NULL OR locked_until < now())`,
    );
  }

  /**
   * One atomic upsert. A new window starts when the old one is over, or when a lock has ended;
   * never while a lock is on (refused attempts do not extend it either).
   */
  private async count(key: string, limit: Limit): Promise<Count> {
    const win = "$3::int * interval '1 second'";
    const reset = `(CASE WHEN t.locked_until IS NOT NULL THEN t.locked_until <= now()
                         ELSE t.window_started_at <= now() - ${win} END)`;
    const next = `(CASE WHEN ${reset} THEN 1 ELSE t.failures + 1 END)`;
    const rows = await this.dataSource.query<Count[]>(
      `INSERT INTO ${this.table} AS t (key, failures, window_started_at, locked_until)
       VALUES ($1, 1, now(), CASE WHEN $2::int <= 1 THEN now() + $4::int * interval '1 second' END)
       ON CONFLICT (key) DO UPDATE SET
         failures = ${next},
         window_started_at = CASE WHEN ${reset} THEN now() ELSE t.window_started_at END,
         locked_until = CASE
           WHEN NOT ${reset} AND t.locked_until IS NOT NULL THEN t.locked_until
           WHEN ${next} >= $2::int THEN now() + $4::int * interval '1 second'
           ELSE NULL END
       RETURNING t.failures, t.locked_until AS "lockedUntil"`,
      [key, limit.max, limit.windowSeconds, limit.lockSeconds],
    );
    const row = rows[0];
    if (!row) throw new Error('login throttle upsert returned nothing');
    return row;
  }

  private limited(code: number, count: Count, message: string): AppError {
    const until = count.lockedUntil ? new Date(count.lockedUntil).getTime() : Date.now();
    const retryAfterSeconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
    return new AppError('rate_limited', code, `${message}; try again later`, { retryAfterSeconds });
  }
}
