import * as generated from './generated';

/** Every operation of the SDK by name (the documents of operations/*.graphql): the trusted-documents manifest's source. */
export const OPERATIONS: Readonly<Record<string, { toString(): string }>> = Object.fromEntries(
  Object.entries(generated)
    .filter(([exportName, value]) => exportName.endsWith('Document') && value instanceof generated.TypedDocumentString)
    .map(([exportName, value]) => [exportName.slice(0, -'Document'.length), value as { toString(): string }]),
);
