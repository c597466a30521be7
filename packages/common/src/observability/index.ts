export * from './request-scope';
export * from './metrics';
export * from './graphql-metrics';
export * from './http';
export * from './tracing';
