import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import type { CompositionHint } from '@apollo/composition/dist/hints';
import { parse } from 'graphql';

/** The subgraphs behind the gateway, in the order their schemas are composed. */
export const SUBGRAPHS = [
  { name: 'partners', defaultUrl: 'http://127.0.0.1:4001/graphql', urlEnv: 'PARTNERS_URL' },
  { name: 'cases', defaultUrl: 'http://127.0.0.1:4002/graphql', urlEnv: 'CASES_URL' },
  { name: 'referrals', defaultUrl: 'http://127.0.0.1:4003/graphql', urlEnv: 'REFERRALS_URL' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

const ROOT = path.resolve(__dirname, '..', '..');
export const SUPERGRAPH_FILE = path.join(ROOT, 'gateway', 'supergraph.graphql');

export function subgraphSchemaFile(name: SubgraphName): string {
  return path.join(ROOT, 'services', name, 'schema.graphql');
}

/**
 * Hints we accept after reading them. Every other composition hint fails `npm run compose` and the supergraph test,
 * so that a change in how subgraphs overlap is looked at, not scrolled past.
 */
export const ACCEPTED_HINT_CODES: readonly string[] = [];

export interface Composition {
  supergraphSdl: string;
  hints: CompositionHint[];
}

/** Composes the checked-in subgraph schemas into the supergraph the gateway serves. */
export function composeSupergraph(): Composition {
  const result = composeServices(
    SUBGRAPHS.map((subgraph) => ({
      name: subgraph.name,
      url: subgraph.defaultUrl,
      typeDefs: parse(fs.readFileSync(subgraphSchemaFile(subgraph.name), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  const unexpected = result.hints.filter((hint) => !ACCEPTED_HINT_CODES.includes(hint.definition.code));
  if (unexpected.length) {
    throw new Error(`Composition hints to resolve:\n${unexpected.map((hint) => `- [${hint.definition.code}] ${hint.message}`).join('\n')}`);
  }
  return { supergraphSdl: result.supergraphSdl.trimEnd() + '\n', hints: result.hints };
}

if (require.main === module) {
  try {
    const { supergraphSdl } = composeSupergraph();
    fs.writeFileSync(SUPERGRAPH_FILE, supergraphSdl);
    console.log(`wrote ${path.relative(ROOT, SUPERGRAPH_FILE)}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
