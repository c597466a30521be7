import { conflict, invalidInput, notFound, requireUuid, updateWithVersion } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { Case } from '../entities/case';
import { Client } from '../entities/client';
import { CLOSED_GOAL_STATUSES, GoalPriority, GoalStatus, MeasureResponsible } from '../entities/enums';
import { Goal } from '../entities/goal';
import { GermanSkills, IntegrationPlan, SkillLevel } from '../entities/integration-plan';
import { Measure } from '../entities/measure';
import { PlanChange } from '../entities/plan-revision';
import { CounsellingProgram } from '../entities/program';
import { addMonths, requireLanguageCodes, requireNotInFuture, todayInGermany } from '../validation';
import { AddGoalInput, AddMeasureInput, GermanSkillsInput, RecordPlanReviewInput, UpdateGoalInput, UpdateMeasureInput, UpdatePlanProfileInput } from './plan-inputs';
import { appendRevision, bumpPlanVersion, lockPlan } from './plan-store';

/**
 * The changes of a living integration plan, used by the mutations and by the demo seed alike. Every change:
 * 1. locks the plan row (lockPlan), so the changes of one plan run one after the other;
 * 2. requires the case to be visible and open (rule "caseOpen");
 * 3. compares the expected version (CONFLICT, nothing written);
 * 4. writes with the version in the UPDATE's WHERE clause (updateWithVersion), counts the plan's version up and
 *    appends exactly one revision listing every changed field with its value before and after.
 * A change that changes nothing is not a change: it writes nothing and records no revision (a stale version is
 * still a CONFLICT). Recording a review is always a revision (the review itself is the event).
 */
export interface PlanWork {
  manager: EntityManager;
  /** The author of the revisions (token subject). */
  userId: string;
  /** Today in Germany: closing date of goals, default review day, limit for "not in the future". */
  today: string;
  /** The case of the plan if the caller may see it (NOT_FOUND otherwise) and it is open (rule caseOpen, naming `field`). */
  openCase(field: string, caseId: string): Promise<Case>;
}

/** Plan work outside a request (seed, scripts): the manager's own visibility, today in Germany unless given. */
export function planWorkWithManager(manager: EntityManager, userId: string, today = todayInGermany()): PlanWork {
  return {
    manager,
    userId,
    today,
    async openCase(field, caseId) {
      const found = await manager.findOneBy(Case, { id: caseId });
      if (!found) throw notFound('Case', caseId);
      if (found.status === 'closed') throw invalidInput(field, 'caseOpen', 'the case is closed; reopen it as a new case if counselling starts again');
      return found;
    },
  };
}

const SKILLS = ['listening', 'reading', 'writing', 'speaking'] as const;
const PROFILE_FIELDS = [
  'schoolingYears',
  'highestSchoolingIsced',
  'vocationalQualification',
  'academicDegree',
  'recognitionStatus',
  'workExperience',
  'drivingLicence',
  'strengths',
] as const;
/** Fields whose values are stored in lower case and shown in GraphQL by their enum names. */
const ENUM_FIELDS = new Set(['recognitionStatus', 'lifeArea', 'priority', 'status', 'responsible']);

/** A value as the revision records it: enum values by their GraphQL names ("in_progress" -> "IN_PROGRESS"). */
function shown(field: string, value: unknown): unknown {
  if (value === undefined) return null;
  return ENUM_FIELDS.has(field) && typeof value === 'string' ? value.toUpperCase() : value;
}

/** JSON with the keys of objects sorted (jsonb does not keep key order), for comparing values. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** Optional text: trimmed, blank means empty (null). */
function optionalText(value: string | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Required text: trimmed, never blank. */
function requireText(field: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw invalidInput(field, 'notBlank', 'must not be blank');
  return trimmed;
}

/** Fields that can be changed but not emptied: null is refused (omit the field to keep it). */
function notNull<T>(field: string, value: T | null | undefined): T | undefined {
  if (value === null) throw invalidInput(field, 'notNull', 'cannot be cleared; omit the field to keep its value');
  return value;
}

class ChangeList {
  readonly changes: PlanChange[] = [];
  readonly fields: string[] = [];
  constructor(
    private readonly entity: PlanChange['entity'],
    private readonly id: string,
  ) {}

  add(field: string, before: unknown, after: unknown): void {
    this.changes.push({ entity: this.entity, id: this.id, field, before: shown(field, before), after: shown(field, after) });
    this.fields.push(field);
  }

  get empty(): boolean {
    return this.changes.length === 0;
  }
}

const isClosed = (status: GoalStatus) => CLOSED_GOAL_STATUSES.includes(status);
const areaName = (goal: Pick<Goal, 'lifeArea'>) => goal.lifeArea.toUpperCase();

function requireVersion(entity: string, current: { id: string; version: number }, expected: number): void {
  if (current.version !== expected) throw conflict(entity, current.id, expected, current.version);
}

// ---------------------------------------------------------------------------------------------------- profile

function mergeGermanSkills(current: GermanSkills, input: GermanSkillsInput | null): GermanSkills {
  if (input === null) return {};
  const merged: GermanSkills = { ...current };
  for (const skill of SKILLS) {
    const given = input[skill];
    if (given === undefined) continue;
    if (given === null) delete merged[skill];
    else merged[skill] = { level: given.level, certificate: optionalText(given.certificate ?? null) } satisfies SkillLevel;
  }
  return merged;
}

/** Checks and normalises otherLanguages: ISO 639, not German (germanSkills), not what the client record already holds. */
async function otherLanguages(manager: EntityManager, theCase: Case, given: string[] | null): Promise<string[]> {
  const field = 'input.otherLanguages';
  const codes = requireLanguageCodes(field, given ?? []);
  if (codes.includes('de')) throw invalidInput(field, 'notGerman', 'German is recorded per skill in germanSkills');
  const client = theCase.clientId ? await manager.findOneBy(Client, { id: theCase.clientId }) : null;
  const known = codes.filter((code) => client?.languages.includes(code));
  if (known.length) {
    throw invalidInput(
      field,
      'notOnClient',
      `${known.map((c) => `"${c}"`).join(', ')} ${known.length > 1 ? 'are' : 'is'} already on the client record (Client.languages); collect once: change the client, list only further languages here`,
    );
  }
  return codes;
}

export async function updatePlanProfile(work: PlanWork, input: UpdatePlanProfileInput): Promise<IntegrationPlan> {
  const { manager } = work;
  const plan = await lockPlan(manager, 'input.planId', input.planId);
  const theCase = await work.openCase('input.planId', plan.caseId);
  requireVersion('IntegrationPlan', plan, input.expectedVersion);

  const patch: Record<string, unknown> = {};
  const changes = new ChangeList('plan', plan.id);
  for (const field of PROFILE_FIELDS) {
    const given = input[field];
    if (given === undefined) continue;
    const value = typeof given === 'string' ? optionalText(given) : given;
    if (same(plan[field], value)) continue;
    patch[field] = value;
    changes.add(field, plan[field], value);
  }
  if (input.otherLanguages !== undefined) {
    const languages = await otherLanguages(manager, theCase, input.otherLanguages);
    if (!same([...plan.otherLanguages].sort(), [...languages].sort())) {
      patch.otherLanguages = languages;
      changes.add('otherLanguages', plan.otherLanguages, languages);
    }
  }
  if (input.germanSkills !== undefined) {
    const skills = mergeGermanSkills(plan.germanSkills ?? {}, input.germanSkills);
    const changed = SKILLS.filter((skill) => !same(plan.germanSkills?.[skill], skills[skill]));
    if (changed.length) {
      patch.germanSkills = skills;
      for (const skill of changed) changes.add(`germanSkills.${skill}`, plan.germanSkills?.[skill], skills[skill]);
    }
  }
  if (changes.empty) return plan;

  const updated = await updateWithVersion(manager, IntegrationPlan, 'IntegrationPlan', plan.id, input.expectedVersion, patch);
  await appendRevision(manager, plan, work.userId, `Profile updated: ${changes.fields.join(', ')}`, changes.changes);
  return updated;
}

// ---------------------------------------------------------------------------------------------------- goals

export async function addGoal(work: PlanWork, input: AddGoalInput): Promise<Goal> {
  const { manager } = work;
  const plan = await lockPlan(manager, 'input.planId', input.planId);
  await work.openCase('input.planId', plan.caseId);
  requireVersion('IntegrationPlan', plan, input.expectedPlanVersion);
  const goal = await manager.save(
    manager.create(Goal, {
      ownerOrganizationId: plan.ownerOrganizationId,
      planId: plan.id,
      caseId: plan.caseId,
      lifeArea: input.lifeArea,
      description: requireText('input.description', input.description),
      priority: input.priority ?? GoalPriority.MEDIUM,
      targetDate: input.targetDate ?? null,
      status: GoalStatus.OPEN,
      closedOn: null,
    }),
  );
  const changes = new ChangeList('goal', goal.id);
  for (const field of ['lifeArea', 'description', 'priority', 'targetDate', 'status'] as const) {
    if (goal[field] !== null) changes.add(field, null, goal[field]);
  }
  await bumpPlanVersion(manager, plan);
  await appendRevision(manager, plan, work.userId, `Goal added (${areaName(goal)}): ${goal.description}`, changes.changes);
  return goal;
}

export async function updateGoal(work: PlanWork, input: UpdateGoalInput): Promise<Goal> {
  const { manager } = work;
  const found = await manager.findOneBy(Goal, { id: requireUuid('input.id', input.id) });
  if (!found) throw notFound('Goal', input.id);
  const plan = await lockPlan(manager, 'input.id', found.planId);
  await work.openCase('input.id', plan.caseId);
  // Read again under the plan's lock: every change of a goal holds it, so this is the goal as it is now.
  const goal = await manager.findOneByOrFail(Goal, { id: found.id });
  requireVersion('Goal', goal, input.expectedVersion);

  const description = notNull('input.description', input.description);
  const priority = notNull('input.priority', input.priority);
  const status = notNull('input.status', input.status);
  const wasClosed = isClosed(goal.status);
  const reopening = wasClosed && status !== undefined && !isClosed(status);
  if (wasClosed && !reopening && status !== undefined && status !== goal.status) {
    throw invalidInput(
      'input.status',
      'allowedTransition',
      `the goal was closed as ${goal.status.toUpperCase()} on ${goal.closedOn}; closing statuses are final: reopen it (status OPEN or IN_PROGRESS) first`,
    );
  }

  const patch: Partial<Goal> = {};
  const changes = new ChangeList('goal', goal.id);
  const change = <K extends 'description' | 'priority' | 'targetDate' | 'status' | 'closedOn'>(field: K, value: Goal[K] | undefined) => {
    if (value === undefined || same(goal[field], value)) return;
    patch[field] = value;
    changes.add(field, goal[field], value);
  };
  change('description', description === undefined ? undefined : requireText('input.description', description));
  change('priority', priority);
  change('targetDate', input.targetDate);
  change('status', status);
  if (status !== undefined && isClosed(status) !== wasClosed) change('closedOn', isClosed(status) ? work.today : null);
  if (changes.empty) return goal;
  if (wasClosed && !reopening) {
    throw invalidInput(
      `input.${changes.fields[0]}`,
      'goalClosed',
      `the goal was closed as ${goal.status.toUpperCase()} on ${goal.closedOn} and is final; reopen it (status OPEN or IN_PROGRESS) to change it`,
    );
  }

  const updated = await updateWithVersion(manager, Goal, 'Goal', goal.id, input.expectedVersion, patch);
  await bumpPlanVersion(manager, plan);
  const what =
    status !== undefined && isClosed(status) && !wasClosed
      ? `Goal closed as ${status.toUpperCase()}`
      : reopening
        ? `Goal reopened as ${status!.toUpperCase()}`
        : `Goal updated: ${changes.fields.join(', ')}`;
  await appendRevision(manager, plan, work.userId, `${what} (${areaName(goal)}): ${updated.description}`, changes.changes);
  return updated;
}

// ---------------------------------------------------------------------------------------------------- measures

/** PARTNER measures name the partner organisation, the others do not. */
function checkPartner(responsible: MeasureResponsible, partnerOrganizationId: string | null): void {
  const field = 'input.partnerOrganizationId';
  if (responsible === MeasureResponsible.PARTNER && !partnerOrganizationId) {
    throw invalidInput(field, 'requiredForPartner', 'a measure carried out by a partner names the partner organisation');
  }
  if (responsible !== MeasureResponsible.PARTNER && partnerOrganizationId) {
    throw invalidInput(field, 'onlyForPartner', `only measures with responsible PARTNER name a partner organisation (this one: ${responsible.toUpperCase()})`);
  }
  if (partnerOrganizationId) requireUuid(field, partnerOrganizationId);
}

function requireGoalOpen(field: string, goal: Goal): void {
  if (isClosed(goal.status)) {
    throw invalidInput(field, 'goalClosed', `the goal was closed as ${goal.status.toUpperCase()} on ${goal.closedOn}; reopen it to change its measures`);
  }
}

export async function addMeasure(work: PlanWork, input: AddMeasureInput): Promise<Measure> {
  const { manager } = work;
  const found = await manager.findOneBy(Goal, { id: requireUuid('input.goalId', input.goalId) });
  if (!found) throw notFound('Goal', input.goalId);
  const plan = await lockPlan(manager, 'input.goalId', found.planId);
  await work.openCase('input.goalId', plan.caseId);
  if (input.expectedPlanVersion != null) requireVersion('IntegrationPlan', plan, input.expectedPlanVersion);
  const goal = await manager.findOneByOrFail(Goal, { id: found.id });
  requireGoalOpen('input.goalId', goal);
  const description = requireText('input.description', input.description);
  const partnerOrganizationId = input.partnerOrganizationId ?? null;
  checkPartner(input.responsible, partnerOrganizationId);

  const measure = await manager.save(
    manager.create(Measure, {
      ownerOrganizationId: plan.ownerOrganizationId,
      goalId: goal.id,
      caseId: plan.caseId,
      description,
      responsible: input.responsible,
      partnerOrganizationId,
      dueOn: input.dueOn ?? null,
      doneOn: null,
    }),
  );
  const changes = new ChangeList('measure', measure.id);
  changes.add('goalId', null, goal.id);
  for (const field of ['description', 'responsible', 'partnerOrganizationId', 'dueOn'] as const) {
    if (measure[field] !== null) changes.add(field, null, measure[field]);
  }
  await bumpPlanVersion(manager, plan);
  await appendRevision(manager, plan, work.userId, `Measure added (${areaName(goal)} goal): ${description}`, changes.changes);
  return measure;
}

export async function updateMeasure(work: PlanWork, input: UpdateMeasureInput): Promise<Measure> {
  const { manager } = work;
  const found = await manager.findOneBy(Measure, { id: requireUuid('input.id', input.id) });
  if (!found) throw notFound('Measure', input.id);
  const goalOfMeasure = await manager.findOneBy(Goal, { id: found.goalId });
  if (!goalOfMeasure) throw notFound('Measure', input.id);
  const plan = await lockPlan(manager, 'input.id', goalOfMeasure.planId);
  await work.openCase('input.id', plan.caseId);
  const measure = await manager.findOneByOrFail(Measure, { id: found.id });
  requireVersion('Measure', measure, input.expectedVersion);

  const description = notNull('input.description', input.description);
  const responsible = notNull('input.responsible', input.responsible) ?? measure.responsible;
  let partnerOrganizationId = input.partnerOrganizationId;
  // Handing a partner's measure to someone else lets go of the partner unless the input says otherwise.
  if (partnerOrganizationId === undefined) partnerOrganizationId = responsible === MeasureResponsible.PARTNER ? measure.partnerOrganizationId : null;
  checkPartner(responsible, partnerOrganizationId);
  requireNotInFuture('input.doneOn', input.doneOn, work.today);

  const patch: Partial<Measure> = {};
  const changes = new ChangeList('measure', measure.id);
  const change = <K extends 'description' | 'responsible' | 'partnerOrganizationId' | 'dueOn' | 'doneOn'>(field: K, value: Measure[K] | undefined) => {
    if (value === undefined || same(measure[field], value)) return;
    patch[field] = value;
    changes.add(field, measure[field], value);
  };
  change('description', description === undefined ? undefined : requireText('input.description', description));
  change('responsible', responsible);
  change('partnerOrganizationId', partnerOrganizationId);
  change('dueOn', input.dueOn);
  change('doneOn', input.doneOn);
  if (changes.empty) return measure;
  const goal = await manager.findOneByOrFail(Goal, { id: measure.goalId });
  requireGoalOpen('input.id', goal);

  const updated = await updateWithVersion(manager, Measure, 'Measure', measure.id, input.expectedVersion, patch);
  await bumpPlanVersion(manager, plan);
  const what = patch.doneOn ? `Measure done on ${patch.doneOn}` : `Measure updated: ${changes.fields.join(', ')}`;
  await appendRevision(manager, plan, work.userId, `${what} (${areaName(goal)} goal): ${updated.description}`, changes.changes);
  return updated;
}

// ---------------------------------------------------------------------------------------------------- reviews

export async function recordPlanReview(work: PlanWork, input: RecordPlanReviewInput): Promise<IntegrationPlan> {
  const { manager } = work;
  const plan = await lockPlan(manager, 'input.planId', input.planId);
  const theCase = await work.openCase('input.planId', plan.caseId);
  requireVersion('IntegrationPlan', plan, input.expectedVersion);
  const reviewedOn = input.reviewedOn ?? work.today;
  requireNotInFuture('input.reviewedOn', reviewedOn, work.today);
  if (plan.lastReviewedOn && reviewedOn < plan.lastReviewedOn) {
    throw invalidInput('input.reviewedOn', 'notBeforeLastReview', `${reviewedOn} is before the last review (${plan.lastReviewedOn})`);
  }
  const openedOn = todayInGermany(theCase.openedAt);
  if (reviewedOn < openedOn) throw invalidInput('input.reviewedOn', 'notBeforeOpening', `${reviewedOn} is before the case was opened (${openedOn})`);
  const program = await manager.findOneBy(CounsellingProgram, { id: theCase.programId });
  const nextReviewDue = addMonths(reviewedOn, program?.reviewIntervalMonths ?? 6);
  const note = optionalText(input.note ?? null);

  const updated = await updateWithVersion(manager, IntegrationPlan, 'IntegrationPlan', plan.id, input.expectedVersion, {
    lastReviewedOn: reviewedOn,
    nextReviewDue,
  });
  const changes = new ChangeList('plan', plan.id);
  changes.add('lastReviewedOn', plan.lastReviewedOn, reviewedOn);
  changes.add('nextReviewDue', plan.nextReviewDue, nextReviewDue);
  if (note) changes.add('reviewNote', null, note);
  await appendRevision(manager, plan, work.userId, `Plan reviewed on ${reviewedOn}; next review due ${nextReviewDue}`, changes.changes);
  return updated;
}
