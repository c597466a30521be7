import { operationHash, operationName } from './client';
import { OPERATIONS } from './operations';

/**
 * The trusted-documents manifest: SHA-256 hash (hex) → the exact text of each operation of the SDK, in the order of
 * the operation names. The gateway accepts only these from municipal apps and anonymous callers in production
 * (docs/security.md, "Trusted documents"); `npm run manifest -w packages/client` writes it to
 * packages/client/persisted-operations.json.
 */
export type PersistedOperationsManifest = Record<string, string>;

export function buildManifest(operations: Readonly<Record<string, { toString(): string }>> = OPERATIONS): PersistedOperationsManifest {
  const entries = Object.values(operations)
    .map((document) => ({ name: operationName(document) ?? '', text: document.toString() }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return Object.fromEntries(entries.map(({ text }) => [operationHash(text), text]));
}

/** The manifest file's content: stable JSON with a trailing newline. */
export function manifestJson(manifest: PersistedOperationsManifest = buildManifest()): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
