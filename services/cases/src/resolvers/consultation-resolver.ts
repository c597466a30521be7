import { ConnectionArgs, encodeCursor, invalidInput, KeysetOptions, paginate, RequestContext } from '@integration-graph/common';
import { ArrayMaxSize, IsOptional, Length, Matches, Max, Min } from 'class-validator';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, Resolver, Root } from 'type-graphql';
import { loadCaseForChange, requireCaseStaff } from '../auth/case-access';
import { Case } from '../entities/case';
import { Consultation } from '../entities/consultation';
import { ConsultationMode, LifeArea } from '../entities/enums';
import { consultationsFirstPage } from '../loaders/consultation-loaders';
import { requireLanguageCodes } from '../validation';
import { ConsultationConnection } from './connections';

@InputType({ description: 'A counselling contact to record' })
export class RecordConsultationInput {
  @Field(() => ID)
  caseId: string;

  @Field(() => Date, { description: 'When it took place; not in the future' })
  occurredAt: Date;

  @Field(() => Int, { description: 'Minutes, 1 to 720' })
  @Min(1)
  @Max(720)
  durationMinutes: number;

  @Field(() => ConsultationMode)
  mode: ConsultationMode;

  @Field(() => [LifeArea], { description: 'Life areas discussed' })
  @ArrayMaxSize(12)
  lifeAreas: LifeArea[];

  @Field({ nullable: true })
  interpreterUsed?: boolean;

  @Field({ nullable: true, description: 'Language interpreted (ISO 639); only with interpreterUsed' })
  interpreterLanguage?: string;

  @Field({ nullable: true, description: 'Short confidential note (at most 2000 characters)' })
  @IsOptional()
  @Length(1, 2000)
  note?: string;

  @Field({ nullable: true, description: 'A key you choose; sending it again returns the consultation recorded the first time' })
  @IsOptional()
  @Length(8, 100)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'idempotencyKey may contain letters, digits and . _ : - only' })
  idempotencyKey?: string;
}

const CONSULTATION_ORDER: KeysetOptions<Consultation> = {
  sortExpression: `date_trunc('milliseconds', k.occurred_at)`,
  direction: 'DESC',
  sortValue: (k) => k.occurredAt.toISOString(),
  idColumn: 'k.id',
  idOf: (k) => k.id,
};

function consultationCursor(consultation: Consultation): string {
  return encodeCursor(CONSULTATION_ORDER.sortValue(consultation), consultation.id);
}

@Resolver(() => Case)
export class ConsultationResolver {
  @FieldResolver(() => ConsultationConnection, { description: 'Counselling contacts of the case, newest first' })
  async consultations(@Root() theCase: Case, @Args() page: ConnectionArgs, @Ctx() context: RequestContext) {
    if (!page.after) {
      // First pages of many cases (a caseload list) come from one batched SELECT.
      const { rows, totalCount } = await context.loaders.get(consultationsFirstPage).load(`${theCase.id}:${page.first}`);
      const edges = rows.slice(0, page.first).map((node) => ({ node, cursor: consultationCursor(node) }));
      return { edges, totalCount, pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.at(-1)?.cursor ?? null } };
    }
    const manager = await context.tx.manager();
    const query = manager.createQueryBuilder(Consultation, 'k').where('k.case_id = :caseId', { caseId: theCase.id });
    return paginate(query, page, CONSULTATION_ORDER);
  }

  @Mutation(() => Consultation, { description: 'Records a counselling contact (Beratungskontakt). Safe to retry with the same idempotencyKey.' })
  async recordConsultation(@Arg('input', () => RecordConsultationInput) input: RecordConsultationInput, @Ctx() context: RequestContext): Promise<Consultation> {
    const caller = requireCaseStaff(context, 'record consultations');
    const manager = await context.tx.manager();
    if (input.idempotencyKey) {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`consultation:${caller.organizationId}:${input.idempotencyKey}`]);
      const earlier = await manager.findOneBy(Consultation, { ownerOrganizationId: caller.organizationId, idempotencyKey: input.idempotencyKey });
      if (earlier) return earlier;
    }
    const theCase = await loadCaseForChange(context, 'input.caseId', input.caseId, { open: true, lockShared: true });
    if (input.occurredAt.getTime() > Date.now() + 60_000) throw invalidInput('input.occurredAt', 'notInFuture', 'a consultation cannot lie in the future');
    if (input.occurredAt < theCase.openedAt) throw invalidInput('input.occurredAt', 'afterOpening', 'the case was opened later');
    if (input.interpreterLanguage && !input.interpreterUsed) {
      throw invalidInput('input.interpreterLanguage', 'onlyWithInterpreter', 'give the language only when an interpreter was used');
    }
    return manager.save(
      manager.create(Consultation, {
        ownerOrganizationId: theCase.ownerOrganizationId,
        caseId: theCase.id,
        occurredAt: input.occurredAt,
        durationMinutes: input.durationMinutes,
        mode: input.mode,
        lifeAreas: [...new Set(input.lifeAreas)],
        interpreterUsed: input.interpreterUsed ?? false,
        interpreterLanguage: input.interpreterLanguage ? requireLanguageCodes('input.interpreterLanguage', [input.interpreterLanguage])[0] : null,
        note: input.note?.trim() ?? null,
        recordedBy: caller.userId,
        idempotencyKey: input.idempotencyKey ?? null,
      }),
    );
  }
}
