export { dataTables, describeProgress, MAX_SCALE, SEED_SCALE_DEFAULTS, seedScale, SeedRefusedError } from './seed-scale';
export type { SeedBenchSubjects, SeedProgress, SeedScaleOptions, SeedScaleResult } from './seed-scale';
export type { SeedDistrict, SeedPartner, SeedProvider, SeedUser } from './generate';
export type { ReferralTarget } from './people';
export { SERVICES as SEED_SERVICES } from './tables';
export type { Service as SeedService } from './tables';
export { checkConsistency, tableChecksums } from './verify';
