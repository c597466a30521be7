import { Client } from './entities/client';
import { FollowUpAccommodation, ResidenceStatus } from './entities/enums';
import { CounsellingProgram } from './entities/program';

export interface EligibilityFailure {
  rule: 'adult' | 'arrivalKnown' | 'arrivedInProgramPeriod' | 'targetGroup';
  field: string;
  message: string;
}

/** Age in whole years on a day (dates as "YYYY-MM-DD"). */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * The program's target group at opening (state rules for integration management since 2023):
 * - adult: 18 or older on the day the case opens (children are counselled through their household);
 * - arrived in Germany on or after the program's earliest arrival (2015-01-01);
 * - in or moved on from follow-up accommodation (Anschlussunterbringung), or displaced from Ukraine with
 *   temporary protection (§ 24 AufenthG).
 * Returns every failed rule; a lead may open the case anyway with a recorded reason.
 */
export function checkEligibility(client: Pick<Client, 'dateOfBirth' | 'arrivedOn' | 'followUpAccommodation' | 'residenceStatus'>, program: CounsellingProgram, openedOn: string): EligibilityFailure[] {
  const failures: EligibilityFailure[] = [];
  const age = ageOn(client.dateOfBirth, openedOn);
  if (age < 18) failures.push({ rule: 'adult', field: 'dateOfBirth', message: `the client is ${age}; children are counselled through their household` });
  if (!client.arrivedOn) {
    failures.push({ rule: 'arrivalKnown', field: 'arrivedOn', message: 'the arrival date in Germany is needed to check the target group' });
  } else if (client.arrivedOn < program.earliestArrival) {
    failures.push({ rule: 'arrivedInProgramPeriod', field: 'arrivedOn', message: `arrived ${client.arrivedOn}; the program serves people who arrived on or after ${program.earliestArrival}` });
  }
  const inFollowUpAccommodation = client.followUpAccommodation !== FollowUpAccommodation.NEVER;
  if (!inFollowUpAccommodation && client.residenceStatus !== ResidenceStatus.TEMPORARY_PROTECTION) {
    failures.push({
      rule: 'targetGroup',
      field: 'followUpAccommodation',
      message: 'the program serves people in or moved on from follow-up accommodation, and people with temporary protection (§ 24 AufenthG)',
    });
  }
  return failures;
}
