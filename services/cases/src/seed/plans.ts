import { DEMO_ORGANIZATIONS, DEMO_USERS, Logger } from '@integration-graph/common';
import { EntityManager } from 'typeorm';
import { GoalPriority, GoalStatus, LanguageLevel, LifeArea, MeasureResponsible, RecognitionStatus } from '../entities/enums';
import { Goal } from '../entities/goal';
import { IntegrationPlan } from '../entities/integration-plan';
import { Measure } from '../entities/measure';
import { addGoal, addMeasure, planWorkWithManager, recordPlanReview, updateGoal, updateMeasure, updatePlanProfile } from '../plan/plan-changes';
import { addMonths, todayInGermany } from '../validation';
import { seedCases } from './cases';

/*
 * Demo integration plans: profiles, goals in every life area and every status, measures carried out by the client,
 * the integration manager or a partner, reviews (some overdue) and a history of several revisions per plan. Written
 * through the same functions as the mutations, so every revision is real. Idempotent: a plan that has more than its
 * first revision ("Plan created") is left alone.
 */

const O = DEMO_ORGANIZATIONS;
type MeasureSeed = [description: string, responsible: MeasureResponsible, partnerOrganizationId?: string];

const GOALS: Record<LifeArea, { goal: string; measures: MeasureSeed[] }> = {
  [LifeArea.LANGUAGE]: {
    goal: 'German B1 with certificate (Deutsch-Test für Zuwanderer)',
    measures: [
      ['Integration course at the Volkshochschule', MeasureResponsible.PARTNER, O.vhs.id],
      ['Weekly language café to practise speaking', MeasureResponsible.CLIENT],
    ],
  },
  [LifeArea.WORK]: {
    goal: 'A job subject to social insurance contributions',
    measures: [
      ['Register with the Jobcenter’s employer service', MeasureResponsible.PARTNER, O.jobcenter.id],
      ['Write a CV and an application letter together', MeasureResponsible.INTEGRATION_MANAGER],
    ],
  },
  [LifeArea.VOCATIONAL_TRAINING]: {
    goal: 'Start an apprenticeship (Ausbildung) next autumn',
    measures: [
      ['Vocational guidance at the Jobcenter', MeasureResponsible.PARTNER, O.jobcenter.id],
      ['Apply for at least five training places', MeasureResponsible.CLIENT],
    ],
  },
  [LifeArea.STUDY]: {
    goal: 'Degree recognised and enrolled in a master’s programme',
    measures: [
      ['Apply for recognition of the degree', MeasureResponsible.INTEGRATION_MANAGER],
      ['C1 course preparing for university', MeasureResponsible.PARTNER, O.vhs.id],
    ],
  },
  [LifeArea.CHILDCARE]: {
    goal: 'A daycare place (Kita) for the youngest child',
    measures: [
      ['Register on the municipal daycare portal', MeasureResponsible.INTEGRATION_MANAGER],
      ['Visit two daycare centres', MeasureResponsible.CLIENT],
    ],
  },
  [LifeArea.SCHOOL]: {
    goal: 'The children are settled at school; regular contact with the teachers',
    measures: [['Meet the class teacher with an interpreter', MeasureResponsible.INTEGRATION_MANAGER]],
  },
  [LifeArea.HOUSING]: {
    goal: 'Move from follow-up accommodation into a flat of their own',
    measures: [
      ['Apply for a housing entitlement certificate (Wohnberechtigungsschein)', MeasureResponsible.CLIENT],
      ['Flat search with the volunteer group', MeasureResponsible.PARTNER, O.volunteers.id],
    ],
  },
  [LifeArea.RESIDENCE]: {
    goal: 'Settlement permit (Niederlassungserlaubnis) applied for',
    measures: [
      ['Collect the documents for the application', MeasureResponsible.INTEGRATION_MANAGER],
      ['Appointment at the immigration office', MeasureResponsible.PARTNER, O.immigrationOffice.id],
    ],
  },
  [LifeArea.HEALTH]: {
    goal: 'A family doctor and regular check-ups',
    measures: [['Find a family doctor who takes new patients', MeasureResponsible.CLIENT]],
  },
  [LifeArea.LEISURE_CLUBS]: {
    goal: 'Member of a sports club',
    measures: [['Trial training at the local football club', MeasureResponsible.CLIENT]],
  },
  [LifeArea.SOCIAL_PARTICIPATION]: {
    goal: 'Volunteering in the neighbourhood',
    measures: [['Introduction to the volunteer group', MeasureResponsible.PARTNER, O.volunteers.id]],
  },
  [LifeArea.FINANCES]: {
    goal: 'Household budget under control and debts settled',
    measures: [
      ['Debt advice at migration counselling', MeasureResponsible.PARTNER, O.mbe.id],
      ['Set up a household budget', MeasureResponsible.INTEGRATION_MANAGER],
    ],
  },
};

const AREAS = Object.values(LifeArea);
/** Where goals end up, in a cycle: mostly open or in progress, every closing status now and then. */
const STATUS_CYCLE: GoalStatus[] = [
  GoalStatus.OPEN,
  GoalStatus.IN_PROGRESS,
  GoalStatus.ACHIEVED,
  GoalStatus.IN_PROGRESS,
  GoalStatus.PARTLY_ACHIEVED,
  GoalStatus.OPEN,
  GoalStatus.NOT_ACHIEVED,
  GoalStatus.IN_PROGRESS,
  GoalStatus.DROPPED,
];
const PRIORITIES = [GoalPriority.HIGH, GoalPriority.MEDIUM, GoalPriority.LOW];
const LEVELS = [LanguageLevel.A1, LanguageLevel.A2, LanguageLevel.B1, LanguageLevel.B2, LanguageLevel.C1];
const RECOGNITION = [RecognitionStatus.NOT_APPLICABLE, RecognitionStatus.NOT_STARTED, RecognitionStatus.IN_PROGRESS, RecognitionStatus.PARTIAL, RecognitionStatus.FULL];
const QUALIFICATIONS = ['Electrician (5 years of practice)', 'Tailor', null, 'Nurse (diploma)', null, 'Car mechanic'];
const EXPERIENCE = ['Construction work, 8 years', 'Family business (retail), 10 years', 'Agriculture', 'Hospital care, 6 years', 'Teacher at a primary school', 'Workshop, 12 years'];
const STRENGTHS = ['Reliable, very motivated to work', 'Good with numbers, organised', 'Speaks several languages', 'Practical, helps others in the accommodation'];

const minDay = (a: string, b: string) => (a < b ? a : b);

export async function seedPlans(manager: EntityManager, logger: Logger): Promise<void> {
  const today = todayInGermany();
  let seeded = 0;
  let goalNumber = 0;
  for (const [i, seed] of seedCases().entries()) {
    const plan = await manager.findOneBy(IntegrationPlan, { caseId: seed.id });
    if (!plan) continue;
    const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM plan_revisions WHERE plan_id = $1`, [plan.id]);
    if (count > 1) continue;
    const theCase = await manager.query(`SELECT c.status, cl.languages FROM cases c LEFT JOIN clients cl ON cl.id = c.client_id WHERE c.id = $1`, [seed.id]);
    if (!theCase.length || theCase[0].status === 'closed') continue;
    const clientLanguages: string[] = theCase[0].languages ?? [];
    const intake = theCase[0].status === 'intake';
    const author = DEMO_USERS.find((u) => u.organizationId === seed.ownerOrganizationId && u.handle.endsWith('-caseworker'))?.id ?? 'seed';
    const openedOn = seed.openedAt.slice(0, 10);
    const work = (day = today) => planWorkWithManager(manager, author, minDay(day, today));
    const version = async () => (await manager.findOneByOrFail(IntegrationPlan, { id: plan.id })).version;

    // Profile: what the client told at intake.
    const level = LEVELS[i % 3];
    await updatePlanProfile(work(), {
      planId: plan.id,
      expectedVersion: await version(),
      schoolingYears: 6 + (i % 9),
      highestSchoolingIsced: [1, 2, 3, 3, 4, 6, 7][i % 7],
      vocationalQualification: QUALIFICATIONS[i % QUALIFICATIONS.length],
      academicDegree: i % 7 === 5 ? 'Bachelor of Civil Engineering' : null,
      recognitionStatus: RECOGNITION[i % RECOGNITION.length],
      workExperience: EXPERIENCE[i % EXPERIENCE.length],
      germanSkills: {
        listening: { level },
        reading: { level: LEVELS[Math.max(0, (i % 3) - 1)] },
        writing: { level: LanguageLevel.A1 },
        speaking: { level, certificate: i % 3 === 2 ? 'telc Deutsch A2' : null },
      },
      otherLanguages: ['en', 'fr', 'ru'].filter((code) => !clientLanguages.includes(code)).slice(0, i % 3),
      drivingLicence: i % 3 === 0 ? 'B' : null,
      strengths: STRENGTHS[i % STRENGTHS.length],
    });
    if (intake) {
      // First goals agreed at intake, nothing done yet.
      await addGoal(work(), { planId: plan.id, expectedPlanVersion: await version(), lifeArea: AREAS[i % AREAS.length], description: GOALS[AREAS[i % AREAS.length]].goal, priority: GoalPriority.HIGH });
      seeded += 1;
      continue;
    }

    // Goals in two or three life areas, with their measures.
    const areas = [...new Set([AREAS[i % AREAS.length], AREAS[(i + 5) % AREAS.length], ...(i % 2 === 0 ? [AREAS[(i + 9) % AREAS.length]] : [])])];
    const goals: { goal: Goal; measures: Measure[]; status: GoalStatus }[] = [];
    for (const [j, area] of areas.entries()) {
      const goal = await addGoal(work(), {
        planId: plan.id,
        expectedPlanVersion: await version(),
        lifeArea: area,
        description: GOALS[area].goal,
        priority: PRIORITIES[(i + j) % PRIORITIES.length],
        targetDate: addMonths(openedOn, 12 + 6 * j),
      });
      const measures: Measure[] = [];
      for (const [k, [description, responsible, partnerOrganizationId]] of GOALS[area].measures.entries()) {
        measures.push(await addMeasure(work(), { goalId: goal.id, description, responsible, partnerOrganizationId: partnerOrganizationId ?? null, dueOn: addMonths(openedOn, 2 + 2 * k + j) }));
      }
      goals.push({ goal, measures, status: STATUS_CYCLE[goalNumber++ % STATUS_CYCLE.length] });
    }

    // Work on the goals: measures done, goals in progress or closed.
    for (const [j, { goal, measures, status }] of goals.entries()) {
      if (status === GoalStatus.OPEN) continue;
      const done = status === GoalStatus.ACHIEVED || status === GoalStatus.PARTLY_ACHIEVED ? measures : status === GoalStatus.IN_PROGRESS ? measures.slice(0, 1) : [];
      let current = goal;
      current = await updateGoal(work(), { id: current.id, expectedVersion: current.version, status: GoalStatus.IN_PROGRESS });
      for (const [k, measure] of done.entries()) {
        await updateMeasure(work(), { id: measure.id, expectedVersion: measure.version, doneOn: minDay(addMonths(openedOn, 3 + 2 * k + j), today) });
      }
      if (status !== GoalStatus.IN_PROGRESS) {
        await updateGoal(work(addMonths(openedOn, 6 + 3 * j)), { id: current.id, expectedVersion: current.version, status });
      }
    }

    // Progress in German, recorded as a change of the profile.
    if (i % 3 === 0) {
      await updatePlanProfile(work(), {
        planId: plan.id,
        expectedVersion: await version(),
        germanSkills: { speaking: { level: LEVELS[(i % 3) + 1], certificate: 'telc Deutsch ' + LEVELS[(i % 3) + 1] } },
      });
    }

    // Reviews: most plans were reviewed recently; every fourth only long ago (or never), so its review is overdue.
    const recent = addMonths(today, -(1 + (i % 4)));
    const longAgo = addMonths(openedOn, 6);
    if (i % 4 === 1) {
      if (addMonths(longAgo, 6) < today) {
        await recordPlanReview(work(), { planId: plan.id, expectedVersion: await version(), reviewedOn: longAgo, note: 'Goals discussed; the client wants to focus on work.' });
      }
    } else if (recent >= openedOn) {
      if (addMonths(longAgo, 6) < recent) {
        await recordPlanReview(work(), { planId: plan.id, expectedVersion: await version(), reviewedOn: longAgo, note: 'First review: plan confirmed.' });
      }
      await recordPlanReview(work(), { planId: plan.id, expectedVersion: await version(), reviewedOn: recent, note: 'Plan updated with the client.' });
    }
    seeded += 1;
  }
  logger.info({ seeded }, 'integration plans demo data');
}
