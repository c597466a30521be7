import { AuditEntry } from '@integration-graph/common';
import { Case } from './case';
import { CaseAssignment } from './case-assignment';
import { Client } from './client';
import { Consent } from './consent';
import { Consultation } from './consultation';
import { Goal } from './goal';
import { Household, HouseholdChild } from './household';
import { IntegrationPlan } from './integration-plan';
import { Measure } from './measure';
import { PlanRevision } from './plan-revision';
import { CounsellingProgram } from './program';

/** Every TypeORM entity of the cases subgraph. */
export const ENTITIES = [
  Case,
  CaseAssignment,
  Client,
  Household,
  HouseholdChild,
  CounsellingProgram,
  Consent,
  IntegrationPlan,
  Goal,
  Measure,
  PlanRevision,
  Consultation,
  AuditEntry,
];
