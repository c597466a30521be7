import { LocalDateScalar } from '@integration-graph/common';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { evaluateStandard, StandardDirection } from '../standards/evaluate';
import { MetricKey } from '../standards/metrics';

/** numeric(12, 4) arrives from PostgreSQL as a string; targets are compared as numbers. */
const NUMERIC_AS_NUMBER = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * A standard of the cooperation: a metric, a target and a direction, adopted at a cooperation meeting and valid from
 * a day until a day (inclusive; open-ended when null). One district has at most one valid standard per metric on any
 * day (exclusion constraint standards_no_overlap).
 */
@ObjectType({ description: 'A standard the cooperation of a district agreed on: a metric, a target value and a direction, valid for a period' })
@Entity({ name: 'standards' })
export class Standard {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'district_id' })
  districtId: string;

  @Field()
  @Column('text')
  title: string;

  @Field({ description: 'What the standard means in practice' })
  @Column('text')
  description: string;

  @Field(() => MetricKey, { description: 'The metric it is measured by' })
  @Column('text')
  metric: MetricKey;

  @Field(() => Float, { description: 'Target value; shares and rates as proportions between 0 and 1 (0.9 = 90 %)' })
  @Column('numeric', { precision: 12, scale: 4, transformer: NUMERIC_AS_NUMBER })
  target: number;

  @Field(() => StandardDirection)
  @Column('text')
  direction: StandardDirection;

  @Column('uuid', { name: 'adopted_at_meeting_id', nullable: true })
  adoptedAtMeetingId: string | null;

  @Field(() => LocalDateScalar, { description: 'First day the standard applies' })
  @Column('date', { name: 'valid_from' })
  validFrom: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day (inclusive) the standard applies; open-ended when null' })
  @Column('date', { name: 'valid_until', nullable: true })
  validUntil: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int, { description: 'Increases with every change; send it back as expectedVersion when you retire the standard' })
  @VersionColumn()
  version: number;

  /** Whether a value of the metric meets this standard (see evaluateStandard). */
  evaluate(value: number): boolean {
    return evaluateStandard(this, value);
  }
}
