import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, JWK, KeyLike } from 'jose';

export const DEV_KEY_ALG = 'ES256';
const PRIVATE_FILE = 'signing-key.private.jwk.json';
const PUBLIC_FILE = 'jwks.json';

/**
 * Development signing keys: generated on first start and stored under the data folder (never committed).
 * Production uses the JWKS of an OIDC provider instead (see loadAuthConfig).
 */
export async function ensureDevKeys(dir: string): Promise<void> {
  const privatePath = path.join(dir, PRIVATE_FILE);
  if (fs.existsSync(privatePath) && fs.existsSync(path.join(dir, PUBLIC_FILE))) return;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = await generateKeyPair(DEV_KEY_ALG, { extractable: true });
  const kid = `dev-${Date.now().toString(36)}`;
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: DEV_KEY_ALG, use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: DEV_KEY_ALG, use: 'sig' };
  fs.writeFileSync(privatePath, JSON.stringify(privateJwk, null, 2), { mode: 0o600 });
  fs.writeFileSync(path.join(dir, PUBLIC_FILE), JSON.stringify({ keys: [publicJwk] }, null, 2));
}

export function readDevJwks(dir: string): { keys: JWK[] } {
  const file = path.join(dir, PUBLIC_FILE);
  if (!fs.existsSync(file)) {
    throw new Error(`No development keys in ${dir}: start the platform once (npm start) to generate them`);
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export async function readDevSigningKey(dir: string): Promise<{ key: KeyLike | Uint8Array; kid: string }> {
  const file = path.join(dir, PRIVATE_FILE);
  if (!fs.existsSync(file)) {
    throw new Error(`No development signing key in ${dir}: start the platform once (npm start) to generate it`);
  }
  const jwk = JSON.parse(fs.readFileSync(file, 'utf8')) as JWK & { kid: string };
  return { key: await importJWK(jwk, DEV_KEY_ALG), kid: jwk.kid };
}
