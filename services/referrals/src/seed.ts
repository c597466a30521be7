import { DEMO_CASES, demoClientName, demoId, DEMO_ORGANIZATIONS, DEMO_REFERRALS, DEMO_USERS, Logger, organizationIdForAgs } from '@integration-graph/common';
import { EntityManager } from 'typeorm';

/** The statuses a demo referral went through to reach its current one (after SENT). */
const PATHS: Record<string, string[]> = {
  draft: [],
  sent: [],
  received: ['received'],
  accepted: ['received', 'accepted'],
  waitlisted: ['received', 'waitlisted'],
  completed: ['received', 'accepted', 'scheduled', 'in_progress', 'completed'],
};

/**
 * Idempotent: inserts the demo referrals that are missing with their history, never overwrites. Snapshots hold the
 * client's name only (the consent the cases seed records for each demo referral allows at least that).
 */
export async function seedDemoData(manager: EntityManager, logger: Logger): Promise<void> {
  let inserted = 0;
  for (const demo of DEMO_REFERRALS) {
    const sent = demo.status !== 'draft';
    const position = DEMO_CASES.findIndex((c) => c.id === demo.caseId);
    const receiver = Object.values(DEMO_ORGANIZATIONS).find((o) => o.id === demo.receiverOrganizationId)!;
    const createdAt = new Date(demo.createdAt);
    const result = await manager.query(
      `INSERT INTO referrals (id, case_id, sender_organization_id, receiver_organization_id, receiver_kind, status, created_at, updated_at, life_area, reason,
                              sent_at, response_due_at, first_response_at, consent_id, snapshot, snapshot_scope, snapshot_taken_at, outcome, waitlist_position,
                              municipality_id, started_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13, $14, $15, $10, $16, $17, $18, $19, $20) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        demo.id,
        demo.caseId,
        demo.senderOrganizationId,
        demo.receiverOrganizationId,
        receiver.kind,
        demo.status,
        createdAt,
        receiver.kind === 'jobcenter' ? 'work' : receiver.kind === 'language_course_provider' ? 'language' : 'residence',
        'Demo referral',
        sent ? createdAt : null,
        // Open referrals get their deadline from today, so that the demo inbox is not expired by the deadline job.
        sent ? new Date((['sent', 'received'].includes(demo.status) ? Date.now() : createdAt.getTime()) + 14 * 86_400_000) : null,
        PATHS[demo.status]?.length ? new Date(createdAt.getTime() + 2 * 86_400_000) : null,
        sent ? demoId('consent', `sharing:${demo.id}`) : null,
        sent ? { name: demoClientName(position) } : null,
        sent ? ['name'] : [],
        demo.status === 'completed' ? { code: 'certificate', levelReached: 'B1', certificate: 'DTZ B1', note: null } : null,
        demo.status === 'waitlisted' ? 3 : null,
        organizationIdForAgs(DEMO_CASES[position].municipalityAgs),
        demo.status === 'completed' ? new Date(createdAt.getTime() + 7 * 86_400_000) : null,
        demo.status === 'completed' ? new Date(createdAt.getTime() + 120 * 86_400_000) : null,
      ],
    );
    if (!result.length) continue;
    inserted += 1;
    const sender = DEMO_USERS.find((u) => u.organizationId === demo.senderOrganizationId)?.id ?? 'seed';
    const partner = DEMO_USERS.find((u) => u.organizationId === demo.receiverOrganizationId)?.id ?? 'seed';
    const steps: [from: string | null, to: string, actor: string, side: string][] = [[null, 'draft', sender, 'sender']];
    if (sent) steps.push(['draft', 'sent', sender, 'sender']);
    for (const to of PATHS[demo.status] ?? []) steps.push([steps[steps.length - 1][1], to, partner, 'receiver']);
    for (const [k, [from, to, actor, side]] of steps.entries()) {
      await manager.query(
        `INSERT INTO referral_events (referral_id, sender_organization_id, receiver_organization_id, from_status, to_status, actor_user_id, actor_organization_id, actor_side, occurred_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [demo.id, demo.senderOrganizationId, demo.receiverOrganizationId, from, to, actor, side === 'sender' ? demo.senderOrganizationId : demo.receiverOrganizationId, side, new Date(createdAt.getTime() + k * 86_400_000)],
      );
    }
  }
  logger.info({ inserted, total: DEMO_REFERRALS.length }, 'referrals demo data');
}
