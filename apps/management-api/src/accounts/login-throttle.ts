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

/** What `begin` found: whether a failure of this attempt locks, and for how long. */
export interface LoginAttempt {
  readonly lastChance: boolean;
  readonly lockSeconds: number;
}

interface PairLock extends Count {
  readonly locked: true;
}

const PAIR_LOCKED = 'Too many failed logins for this account';

/** The first lock of an (email, address) pair; each failure after a lock doubles the next. */
const FIRST_LOCK_SECONDS = 60;
/** The longest lock of a pair, in LOGIN_LOCKOUT_SECONDS. */
const LONGEST_LOCK_FACTOR = 4;
/** Failures of one email from every address together that lock it everywhere, in LOGIN_MAX_FAILURES. */
const EMAIL_FACTOR = 10;
/** A pair forgets its failures after this long without one. */
const PAIR_MEMORY_SECONDS = 86_400;
/** An address an account logged in from stays known this long after its last success. */
const KNOWN_ADDRESS_DAYS = 30;

/**
 * Login throttling shared by every replica, in PostgreSQL. Each attempt is counted *before*
 * the password is checked (so a burst of parallel guesses cannot overrun a limit), in three
 * places:
 *
 * - per (email, client IP): LOGIN_MAX_FAILURES failures lock the pair, first for a minute, and
 *   each failure after a lock ends doubles the next lock (up to 4 × LOGIN_LOCKOUT_SECONDS). An
 *   attacker locks only itself out: the owner, from another address, still logs in. Attempts
 *   refused by a pair lock count nowhere else.
 * - per client IP: LOGIN_IP_MAX_FAILURES within the window, whatever the emails (spraying).
 * - per email, from every address: 10 × LOGIN_MAX_FAILURES within LOGIN_LOCKOUT_SECONDS lock the
 *   email for LOGIN_LOCKOUT_SECONDS (guessing from many addresses), everywhere but at the
 *   addresses the account logged in from in the last 30 days: a botnet can lock new devices out,
 *   not the owner's own (whose pair limit still applies).
 *
 * A success clears the pair and the email and takes the attempt back from the IP. Unknown emails
 * are counted and locked like known ones: no user-existence oracle.
 */
@Injectable()
export class LoginThrottle {
  private readonly pairLimit: { readonly max: number; readonly longestLockSeconds: number };
  private readonly firstLockSeconds: number;
  private readonly emailLimit: Limit;
  private readonly ipLimit: Limit;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MANAGEMENT_CONFIG) config: ManagementConfig,
  ) {
    const { login } = config;
    this.firstLockSeconds = Math.min(FIRST_LOCK_SECONDS, login.lockoutSeconds);
    this.pairLimit = {
      max: login.maxFailures,
      longestLockSeconds: Math.max(
        this.firstLockSeconds,
        login.lockoutSeconds * LONGEST_LOCK_FACTOR,
      ),
    };
    this.emailLimit = {
      max: login.maxFailures * EMAIL_FACTOR,
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
   * Counts an attempt; refuses it while its (email, IP) pair is locked, or when the IP or the
   * email is over its limit. Returns whether a failure of this attempt locks (the pair or the
   * email), and for how long.
   */
  async begin(email: string, clientIp: string): Promise<LoginAttempt> {
    const pair = await this.countPair(pairKey(email, clientIp));
    if (pair.locked) {
      throw this.limited(ManagementErrorCodes.accountLocked, pair, PAIR_LOCKED);
    }
    const ip = await this.count(`ip:${clientIp}`, this.ipLimit);
    if (ip.failures > this.ipLimit.max) {
      throw this.limited(
        ManagementErrorCodes.loginRateLimited,
        ip,
        'Too many login attempts from this address',
      );
    }
    const account = await this.count(`email:${email}`, this.emailLimit);
    if (account.failures > this.emailLimit.max && !(await this.isKnown(email, clientIp))) {
      throw this.limited(
        ManagementErrorCodes.accountLocked,
        account,
        'Too many failed logins: the account is locked',
      );
    }
    if (account.failures >= this.emailLimit.max) {
      return { lastChance: true, lockSeconds: this.emailLimit.lockSeconds };
    }
    return {
      lastChance: pair.failures >= this.pairLimit.max,
      lockSeconds: this.pairLockSeconds(pair.failures),
    };
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

  /**
   * The error for a failed last chance: the pair (or the email) is now locked. Without the
   * attempt `begin` returned, its Retry-After is the first lock's (a later lock says its own
   * length on the next try).
   */
  lockedNow(attempt?: LoginAttempt): AppError {
    const seconds = attempt?.lockSeconds ?? this.firstLockSeconds;
    return this.limited(
      ManagementErrorCodes.accountLocked,
      { failures: this.pairLimit.max, lockedUntil: new Date(Date.now() + seconds * 1000) },
      PAIR_LOCKED,
    );
  }

  async succeeded(email: string, clientIp: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE key = ANY($1)`, [
      [pairKey(email, clientIp), `email:${email}`],
    ]);
    await this.dataSource.query(
      `INSERT INTO ${this.table} (key, failures, window_started_at) VALUES ($1, 0, now())
       ON CONFLICT (key) DO UPDATE SET window_started_at = now()`,
      [knownKey(email, clientIp)],
    );
    await this.dataSource.query(
      `UPDATE ${this.table} SET failures = greatest(failures - 1, 0) WHERE key = $1`,
      [`ip:${clientIp}`],
    );
    await this.dataSource.query(
      `DELETE FROM ${this.table}
        WHERE (key NOT LIKE 'known:%' AND window_started_at < now() - interval '1 day'
               AND (locked_until IS NULL OR locked_until < now()))
           OR (key LIKE 'known:%' AND window_started_at < now() - $1::int * interval '1 day')`,
      [KNOWN_ADDRESS_DAYS],
    );
  }

  /** Whether the account logged in from this address in the last 30 days. */
  private async isKnown(email: string, clientIp: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM ${this.table}
        WHERE key = $1 AND window_started_at > now() - $2::int * interval '1 day'`,
      [knownKey(email, clientIp), KNOWN_ADDRESS_DAYS],
    );
    return rows.length > 0;
  }

  /** The lock a pair's `failures`-th failure sets: doubling from the first, up to the longest. */
  private pairLockSeconds(failures: number): number {
    const doublings = Math.min(Math.max(failures - this.pairLimit.max, 0), 30);
    return Math.min(this.firstLockSeconds * 2 ** doublings, this.pairLimit.longestLockSeconds);
  }

  /**
   * Counts an attempt of an (email, IP) pair in one atomic upsert, unless the pair is locked:
   * then nothing changes and the answer is the lock's end. A pair's
   * `window_started_at` is its last counted attempt; a day without one and it starts over. A lock
   * ending does not reset the count: the next failure locks again, twice as long.
   */
  private async countPair(
    key: string,
  ): Promise<{ readonly locked: false; readonly failures: number } | PairLock> {
    const { max, longestLockSeconds } = this.pairLimit;
    const stale = "t.window_started_at <= now() - $5::int * interval '1 second'";
    const next = `(CASE WHEN ${stale} THEN 1 ELSE t.failures + 1 END)`;
    const lock = (failures: string): string =>
      `now() + least($4::float8, $3::float8 * power(2, least(greatest(${failures} - $2::int, 0), 30)))
         * interval '1 second'`;
    const rows = await this.dataSource.query<Count[]>(
      `INSERT INTO ${this.table} AS t (key, failures, window_started_at, locked_until)
       VALUES ($1, 1, now(), CASE WHEN $2::int <= 1 THEN ${lock('1')} END)
       ON CONFLICT (key) DO UPDATE SET
         failures = ${next},
         window_started_at = now(),
         locked_until = CASE WHEN ${next} >= $2::int THEN ${lock(next)} END
       WHERE t.locked_until IS NULL OR t.locked_until <= now()
       RETURNING t.failures, t.locked_until AS "lockedUntil"`,
      [key, max, this.firstLockSeconds, longestLockSeconds, PAIR_MEMORY_SECONDS],
    );
    const counted = rows[0];
    if (counted) return { locked: false, failures: counted.failures };
    const locked = await this.dataSource.query<{ lockedUntil: Date | null }[]>(
      `SELECT locked_until AS "lockedUntil" FROM ${this.table} WHERE key = $1`,
      [key],
    );
    return { locked: true, failures: 0, lockedUntil: locked[0]?.lockedUntil ?? null };
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

/** The key of an (email, client IP) pair: the address first, as no address holds a `|`. */
function pairKey(email: string, clientIp: string): string {
  return `email-ip:${clientIp}|${email}`;
}

/** The key of an address the account logged in from. */
function knownKey(email: string, clientIp: string): string {
  return `known:${clientIp}|${email}`;
}
