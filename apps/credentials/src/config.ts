import { readFileSync } from 'node:fs';
import {
  commonConfig,
  databaseConfig,
  type DatabaseConfig,
  readConfig,
  type CommonConfig,
  type Env,
  type EnvReader,
} from '@loyalty-edge/config';
import type { Kek } from './api-keys/secret-box.js';

export interface CredentialsConfig {
  readonly common: CommonConfig;
  readonly database: DatabaseConfig;
  /** The key-encryption key new secrets are sealed under, and older ones still accepted. */
  readonly keks: { readonly active: Kek; readonly previous: readonly Kek[] };
}

const KEK = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]{43}=)$/;

function parseKek(text: string): Kek | { error: string } {
  const match = KEK.exec(text.trim());
  if (!match) return { error: 'must be <id>:<base64 of 32 random bytes>' };
  return { id: match[1] ?? '', key: Buffer.from(match[2] ?? '', 'base64') };
}

function readKeks(reader: EnvReader): CredentialsConfig['keks'] {
  const file = reader.optionalString('CREDENTIALS_KEK_FILE');
  let activeText = reader.optionalString('CREDENTIALS_KEK');
  if (file !== undefined) {
    try {
      activeText = readFileSync(file, 'utf8').trim();
    } catch {
      reader.problem('CREDENTIALS_KEK_FILE', 'cannot be read');
    }
  }
  const placeholder: Kek = { id: 'none', key: Buffer.alloc(32) };
  let active = placeholder;
  if (activeText === undefined) {
    if (file === undefined)
      reader.problem('CREDENTIALS_KEK', 'is required (or CREDENTIALS_KEK_FILE)');
  } else {
    const parsed = parseKek(activeText);
    if ('error' in parsed)
      reader.problem(file === undefined ? 'CREDENTIALS_KEK' : 'CREDENTIALS_KEK_FILE', parsed.error);
    else active = parsed;
  }
  const previous = reader.list('CREDENTIALS_PREVIOUS_KEKS').flatMap((text, index) => {
    const parsed = parseKek(text);
    if ('error' in parsed) {
      reader.problem('CREDENTIALS_PREVIOUS_KEKS', `entry ${index + 1} ${parsed.error}`);
      return [];
    }
    return [parsed];
  });
  return { active, previous };
}

export function loadConfig(env: Env): CredentialsConfig {
  return readConfig(env, (reader) => ({
    common: commonConfig(reader, 'credentials', 3101),
    database: databaseConfig(reader, 'credentials'),
    keks: readKeks(reader),
  }));
}
