import { registerEnumType } from 'type-graphql';

/** What an organisation is, in the program's terms. Stored as text with a CHECK constraint (see migrations). */
export enum OrganizationKind {
  DISTRICT = 'district',
  MUNICIPALITY = 'municipality',
  WELFARE_ORGANIZATION = 'welfare_organization',
  JOBCENTER = 'jobcenter',
  EMPLOYMENT_AGENCY = 'employment_agency',
  LANGUAGE_COURSE_PROVIDER = 'language_course_provider',
  IMMIGRATION_OFFICE = 'immigration_office',
  MIGRATION_COUNSELLING = 'migration_counselling',
  YOUTH_MIGRATION_SERVICE = 'youth_migration_service',
  VOLUNTEER_GROUP = 'volunteer_group',
  SCHOOL_AUTHORITY = 'school_authority',
  HEALTH_SERVICE = 'health_service',
  OTHER = 'other',
}

registerEnumType(OrganizationKind, {
  name: 'OrganizationKind',
  description: 'Kind of organisation in the integration network',
  valuesConfig: {
    DISTRICT: { description: 'Landkreis (district), e.g. the Ortenaukreis' },
    MUNICIPALITY: { description: 'Stadt or Gemeinde (municipality)' },
    WELFARE_ORGANIZATION: { description: 'Wohlfahrtsverband (Diakonie, Caritas, DRK, AWO, ...)' },
    JOBCENTER: { description: 'Jobcenter (basic income support for jobseekers, SGB II)' },
    EMPLOYMENT_AGENCY: { description: 'Agentur für Arbeit (employment agency, SGB III)' },
    LANGUAGE_COURSE_PROVIDER: { description: 'Träger of integration and vocational language courses' },
    IMMIGRATION_OFFICE: { description: 'Ausländerbehörde (immigration office)' },
    MIGRATION_COUNSELLING: { description: 'Migrationsberatung für erwachsene Zugewanderte (MBE)' },
    YOUTH_MIGRATION_SERVICE: { description: 'Jugendmigrationsdienst (JMD)' },
    VOLUNTEER_GROUP: { description: 'Ehrenamtliche Initiative, e.g. a Freundeskreis Asyl' },
    SCHOOL_AUTHORITY: { description: 'Schulamt (school authority)' },
    HEALTH_SERVICE: { description: 'Gesundheitsamt or other health service' },
    OTHER: { description: 'Any other organisation' },
  },
});
