export * from './stack';
export * from './backup';
