import { LocalDateScalar } from '@integration-graph/common';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Rules of a funding program: counselling period, its maximum, review interval, target group's earliest arrival. */
@ObjectType({ description: 'Rules of the funding program a case runs under (e.g. the state’s rules since 2023)' })
@Entity({ name: 'counselling_programs' })
export class CounsellingProgram {
  @Field(() => ID)
  @PrimaryColumn('text')
  id: string;

  @Field()
  @Column('text')
  name: string;

  @Field(() => Int, { description: 'Standard counselling period in months (36 = three years)' })
  @Column('integer', { name: 'standard_months' })
  standardMonths: number;

  @Field(() => Int, { description: 'Longest period in justified cases, in months (48 = four years)' })
  @Column('integer', { name: 'maximum_months' })
  maximumMonths: number;

  @Field(() => Int, { description: 'A plan review is due this many months after the last one' })
  @Column('integer', { name: 'review_interval_months' })
  reviewIntervalMonths: number;

  @Field(() => LocalDateScalar, { description: 'Target group: arrived in Germany on or after this day' })
  @Column('date', { name: 'earliest_arrival' })
  earliestArrival: string;
}
