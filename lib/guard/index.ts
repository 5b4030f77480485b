export * from './countries';
export * from './guard';
export * from './limits';
export * from './number-types';
export * from './redis';
export * from './recipient';
