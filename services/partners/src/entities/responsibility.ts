import { LocalDateScalar } from '@integration-graph/common';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

export enum ProvisionMode {
  DISTRICT = 'district',
  SELF = 'self',
  INTERMUNICIPAL = 'intermunicipal',
  DELEGATED = 'delegated',
}
registerEnumType(ProvisionMode, {
  name: 'ProvisionMode',
  description: 'How a municipality provides integration management',
  valuesConfig: {
    DISTRICT: { description: 'By the district’s integration managers (in the Ortenaukreis: 40 of 51 municipalities)' },
    SELF: { description: 'By the municipality itself' },
    INTERMUNICIPAL: { description: 'Together with other municipalities (Verwaltungsgemeinschaft, Zweckverband)' },
    DELEGATED: { description: 'Delegated to a welfare organisation (Diakonie, Caritas, DRK, AWO, ...)' },
  },
});

/** Who provides integration management for a municipality, and how, for a period. Periods never overlap. */
@ObjectType({ description: 'Who provides integration management for a municipality during a period' })
@Entity({ name: 'integration_management_responsibilities' })
export class IntegrationManagementResponsibility {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'municipality_id' })
  municipalityId: string;

  @Column('uuid', { name: 'provider_organization_id' })
  providerOrganizationId: string;

  @Field(() => ProvisionMode)
  @Column('text')
  mode: ProvisionMode;

  @Field(() => String, { nullable: true, description: 'Name of the intermunicipal association (mode INTERMUNICIPAL)' })
  @Column('text', { name: 'association_name', nullable: true })
  associationName: string | null;

  @Field(() => LocalDateScalar)
  @Column('date', { name: 'valid_from' })
  validFrom: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day (inclusive); open-ended when null' })
  @Column('date', { name: 'valid_until', nullable: true })
  validUntil: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Int)
  @VersionColumn()
  version: number;
}
