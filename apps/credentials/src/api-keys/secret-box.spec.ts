import { randomBytes } from 'node:crypto';
import { SecretBox, type Kek } from './secret-box.js';

const kek = (id: string): Kek => ({ id, key: randomBytes(32) });

describe(SecretBox.name, () => {
  it('opens what it sealed, and the sealed form does not contain the secret', () => {
    const box = new SecretBox(kek('k1'));
    const sealed = box.seal('les_topsecret', 'lek_a');
    expect(sealed.ciphertext.toString('latin1')).not.toContain('topsecret');
    expect(box.open(sealed, 'lek_a')).toBe('les_topsecret');
  });

  it('refuses a sealed secret moved to another api key', () => {
    const box = new SecretBox(kek('k1'));
    const sealed = box.seal('les_x', 'lek_a');
    expect(() => box.open(sealed, 'lek_b')).toThrow('failed authentication');
  });

  it('rotates: a new box re-wraps under the new KEK and the old KEK can then be dropped', () => {
    const oldKek = kek('old');
    const newKek = kek('new');
    const sealed = new SecretBox(oldKek).seal('les_rotate', 'lek_r');
    const rotating = new SecretBox(newKek, [oldKek]);
    const rewrapped = rotating.rewrap(sealed, 'lek_r');
    expect(rewrapped.kekId).toBe('new');
    expect(new SecretBox(newKek).open(rewrapped, 'lek_r')).toBe('les_rotate');
    expect(() => new SecretBox(newKek).open(sealed, 'lek_r')).toThrow('old is not configured');
  });

  it('detects a tampered ciphertext', () => {
    const box = new SecretBox(kek('k1'));
    const sealed = box.seal('les_y', 'lek_y');
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1;
    expect(() => box.open({ ...sealed, ciphertext: tampered }, 'lek_y')).toThrow();
  });
});
