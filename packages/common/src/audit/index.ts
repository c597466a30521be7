export * from './sql';
export * from './audit-log';
export * from './instrument';
export * from './graphql';
export * from './verify';
export * from './chainer';
