import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Opening hours of a location, one row per weekday and time span (HSDS: schedule). */
@ObjectType({ description: 'One opening time span on one weekday' })
@Entity({ name: 'opening_hours' })
export class OpeningHours {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'location_id' })
  locationId: string;

  @Field(() => Int, { description: 'ISO weekday: 1 = Monday ... 7 = Sunday' })
  @Column('smallint')
  weekday: number;

  @Field({ description: 'Local time, "09:00"' })
  @Column('time')
  opens: string;

  @Field({ description: 'Local time, "12:30"' })
  @Column('time')
  closes: string;
}
