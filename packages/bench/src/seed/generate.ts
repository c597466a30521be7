import { DatabaseRows } from './copy-format';
import { generatePeople, PeopleSummary, ReferralTarget } from './people';
import { Service, SERVICES, TABLES, TAXONOMY_TABLE } from './tables';
import { DistrictWorld, generateDistrictWorld, generateTaxonomy, GeneratorContext, UserInfo } from './world';

/** A user as the benchmark needs it for a token: subject, organisation, roles. */
export interface SeedUser {
  userId: string;
  organizationId: string;
  roles: string[];
  /** For the Ortenaukreis users that are the demo users: their handle (npm run token -- --user <handle>). */
  handle?: string;
}

export interface SeedProvider {
  organizationId: string;
  name: string;
  mode: string;
  fullTimeEquivalents: number;
  cases: number;
  caseworkers: SeedUser[];
  leads: SeedUser[];
}

export interface SeedPartner {
  organizationId: string;
  name: string;
  kind: string;
  incomingReferrals: number;
  partnerUsers: SeedUser[];
}

export interface SeedDistrict {
  index: number;
  id: string;
  ags: string;
  name: string;
  municipalities: number;
  coordinator: SeedUser;
  providers: SeedProvider[];
  partners: SeedPartner[];
  /** A municipality from which the most open integration courses with free seats are reachable (directory query). */
  directory: { ags: string; municipalityId: string; name: string; reachableCourses: number };
  meetings: number;
  standards: number;
}

export interface GeneratedDistrict {
  rows: Record<Service, DatabaseRows>;
  summary: SeedDistrict;
  caseload: Map<string, number>;
  openCases: Map<string, string[]>;
  referralTargets: Map<string, Map<string, ReferralTarget>>;
}

export const seedUser = (user: UserInfo): SeedUser => ({ userId: user.id, organizationId: user.organizationId, roles: user.roles, ...(user.handle ? { handle: user.handle } : {}) });

/** The taxonomy rows (loaded once, first) and the translations of its labels (loaded with the first district). */
export function generateTaxonomyRows(firstDistrict: DatabaseRows): DatabaseRows {
  const taxonomy = new DatabaseRows([TAXONOMY_TABLE]);
  generateTaxonomy(taxonomy, firstDistrict);
  return taxonomy;
}

/** Everything of one district, for all three databases. Deterministic in (seed, scale, asOf, index). */
export function generateDistrict(ctx: GeneratorContext, index: number, beforeWorld?: (rows: Record<Service, DatabaseRows>) => void): GeneratedDistrict {
  const rows = Object.fromEntries(SERVICES.map((service) => [service, new DatabaseRows(TABLES[service])])) as Record<Service, DatabaseRows>;
  beforeWorld?.(rows);
  const world = generateDistrictWorld(ctx, index, rows.partners);
  const people = generatePeople(ctx, world, rows.cases, rows.referrals);
  return { rows, summary: summarise(world, people), caseload: people.caseload, openCases: people.openCases, referralTargets: people.referralTargets };
}

function summarise(world: DistrictWorld, people: PeopleSummary): SeedDistrict {
  const reachable = new Map<string, number>();
  for (const org of world.organizations) {
    for (const offering of org.offerings) {
      if (!offering.typeId.startsWith('integration-course') || !['open', 'planned', 'running'].includes(offering.status) || !(offering.seatsFree ?? 0)) continue;
      for (const municipalityId of offering.reachableFrom) reachable.set(municipalityId, (reachable.get(municipalityId) ?? 0) + 1);
    }
  }
  const best = [...world.municipalities].sort((a, b) => (reachable.get(b.id) ?? 0) - (reachable.get(a.id) ?? 0) || a.ags.localeCompare(b.ags))[0];
  const partners = [...world.partnersByKind.values()].flat();
  return {
    index: world.index,
    id: world.id,
    ags: world.ags,
    name: world.name,
    municipalities: world.municipalities.length,
    coordinator: seedUser(world.coordinator),
    providers: world.providers.map((p) => ({
      organizationId: p.org.id,
      name: p.org.name,
      mode: p.mode,
      fullTimeEquivalents: p.fullTimeEquivalents,
      cases: people.casesByOwner.get(p.org.id) ?? 0,
      caseworkers: p.caseworkers.map(seedUser),
      leads: p.leads.map(seedUser),
    })),
    partners: partners
      .map((org) => ({
        organizationId: org.id,
        name: org.name,
        kind: org.kind,
        incomingReferrals: people.inbox.get(org.id) ?? 0,
        partnerUsers: org.users.filter((u) => u.roles.includes('partner')).map(seedUser),
      }))
      .sort((a, b) => b.incomingReferrals - a.incomingReferrals || a.name.localeCompare(b.name)),
    directory: { ags: best.ags, municipalityId: best.id, name: best.name, reachableCourses: reachable.get(best.id) ?? 0 },
    meetings: world.meetings.length,
    standards: world.standards.length,
  };
}
