import { registerEnumType } from 'type-graphql';

/** CEFR level (Gemeinsamer Europäischer Referenzrahmen), shared by the subgraphs that speak about German levels. */
export enum LanguageLevel {
  A1 = 'A1',
  A2 = 'A2',
  B1 = 'B1',
  B2 = 'B2',
  C1 = 'C1',
  C2 = 'C2',
}
registerEnumType(LanguageLevel, { name: 'LanguageLevel', description: 'CEFR level (Gemeinsamer Europäischer Referenzrahmen)' });
