export * from './operations';
export * from './seed';
