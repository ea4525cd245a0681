export * from './sarif';
export * from './table';
