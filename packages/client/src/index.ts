/**
 * @integration-graph/client: the Integration Graph for apps (municipal apps, the web console, partner systems).
 *
 *   import { createClient, DistrictComparisonDocument } from '@integration-graph/client';
 *   const graph = createClient({ url: 'https://graph.example.org/graphql', token });
 *   const result = await graph.request(DistrictComparisonDocument, { districtId, period: '2026-T3' });
 *   if (result.ok) console.log(result.data.districtComparison.municipalities);
 *   else console.error(result.error.code, result.error.message);
 *
 * README.md beside this package has a complete example.
 */
export * from './client';
export * from './errors';
export * from './generated';
export * from './periods';
export * from './sha256';
export * from './token';
export * from './operations';
export * from './manifest';
