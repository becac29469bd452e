import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'signing_keys' })
export class SigningKeyEntity {
  @PrimaryColumn({ type: 'text' })
  kid!: string;

  /** The public key as a JWK (published in the JWKS). */
  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk!: Record<string, string>;

  /** PKCS#8 DER of the private key, AES-256-GCM sealed (iv | tag | ciphertext). */
  @Column({ name: 'private_key_sealed', type: 'bytea' })
  privateKeySealed!: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When it starts signing; it is in the JWKS from its creation (pre-publication). */
  @Column({ name: 'activates_at', type: 'timestamptz' })
  activatesAt!: Date;

  /** When the next key takes over signing (that key's `activates_at`); null for the newest key. */
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;
}
