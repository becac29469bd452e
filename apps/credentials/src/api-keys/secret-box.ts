import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';

export interface Kek {
  readonly id: string;
  readonly key: Buffer;
}

/** A secret sealed by envelope encryption: its own data key, wrapped by a key-encryption key. */
export interface SealedSecret {
  readonly ciphertext: Buffer;
  readonly wrappedKey: Buffer;
  readonly kekId: string;
}

const IV = 12;
const TAG = 16;

function encrypt(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function decrypt(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.subarray(IV, IV + TAG));
  return Buffer.concat([decipher.update(sealed.subarray(IV + TAG)), decipher.final()]);
}

/**
 * AES-256-GCM envelope encryption. Each secret gets a random data key; the data key is wrapped
 * by the active key-encryption key (KEK). Both layers are bound to the api key as associated
 * data, so a sealed secret cannot be moved to another row. Rotating the KEK re-wraps data keys.
 */
export class SecretBox {
  private readonly keks: ReadonlyMap<string, Buffer>;

  constructor(
    private readonly active: Kek,
    previous: readonly Kek[] = [],
  ) {
    this.keks = new Map([...previous.map((k) => [k.id, k.key] as const), [active.id, active.key]]);
  }

  get activeKekId(): string {
    return this.active.id;
  }

  seal(secret: string, boundTo: string): SealedSecret {
    const dataKey = randomBytes(32);
    try {
      return {
        ciphertext: encrypt(dataKey, Buffer.from(secret, 'utf8'), boundTo),
        wrappedKey: encrypt(this.active.key, dataKey, `${this.active.id}:${boundTo}`),
        kekId: this.active.id,
      };
    } finally {
      dataKey.fill(0);
    }
  }

  open(sealed: SealedSecret, boundTo: string): string {
    const dataKey = this.unwrap(sealed, boundTo);
    try {
      return decrypt(dataKey, sealed.ciphertext, boundTo).toString('utf8');
    } finally {
      dataKey.fill(0);
    }
  }

  /** The same secret, its data key wrapped by the active KEK (for KEK rotation). */
  rewrap(sealed: SealedSecret, boundTo: string): SealedSecret {
    const dataKey = this.unwrap(sealed, boundTo);
    try {
      return {
        ciphertext: sealed.ciphertext,
        wrappedKey: encrypt(this.active.key, dataKey, `${this.active.id}:${boundTo}`),
        kekId: this.active.id,
      };
    } finally {
      dataKey.fill(0);
    }
  }

  private unwrap(sealed: SealedSecret, boundTo: string): Buffer {
    const kek = this.keks.get(sealed.kekId);
    if (!kek) {
      throw new AppError(
        'internal',
        ErrorCodes.internal,
        `Key-encryption key ${sealed.kekId} is not configured`,
      );
    }
    try {
      return decrypt(kek, sealed.wrappedKey, `${sealed.kekId}:${boundTo}`);
    } catch (cause) {
      throw new AppError(
        'internal',
        ErrorCodes.internal,
        'A sealed secret failed authentication',
        undefined,
        { cause },
      );
    }
  }
}
